// A one-line progress indicator on stderr for the long analyses, shown only on a terminal.
#pragma once

#include "graph/support/progress.hpp"

namespace chokepoint::cli {

// Null when stderr is not a terminal (analyses then report to no one).
Progress terminal_progress();
// Clears the indicator's line, if one was shown.
void clear_progress(const Progress& p);

}  // namespace chokepoint::cli
