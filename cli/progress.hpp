// A one-line progress indicator on stderr for the long analyses, shown only on a terminal.
#pragma once

#include <string_view>

#include "graph/support/progress.hpp"

namespace chokepoint::cli {

// How much a command says on stderr besides its diagnostics: -q (nothing but warnings and
// errors), the default (a progress line on a terminal, "wrote ..."), -v (also what it read and
// wrote, with the seconds each took).
enum class Verbosity { quiet, normal, verbose };
void set_verbosity(Verbosity v);
Verbosity verbosity();
// A line for the reader unless -q ("wrote 7 files to out").
void say(std::string_view line);
// A line only with -v ("read g.yaml: 284 nodes, 557 edges in 0.04 s").
void tell(std::string_view line);
// Seconds since the command started, for -v.
double seconds_since_start();

// Null when stderr is not a terminal (analyses then report to no one).
Progress terminal_progress();
// On a terminal, a stage without steps ("loading g.yaml..."), replaced by what comes next.
void show_stage(std::string_view what);
// Clears the indicator's line, if one was shown.
void clear_progress(const Progress& p);

}  // namespace chokepoint::cli
