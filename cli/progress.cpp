#include "cli/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

namespace chokepoint::cli {

namespace {
Verbosity g_verbosity = Verbosity::normal;
const auto g_start = std::chrono::steady_clock::now();
}  // namespace

void set_verbosity(Verbosity v) { g_verbosity = v; }
Verbosity verbosity() { return g_verbosity; }

void say(std::string_view line) {
  if (g_verbosity != Verbosity::quiet) std::cerr << line << '\n';
}

void tell(std::string_view line) {
  if (g_verbosity == Verbosity::verbose) std::cerr << line << '\n';
}

double seconds_since_start() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - g_start).count();
}

Progress terminal_progress() {
  // A terminal that cannot move the cursor (TERM=dumb: Emacs shells, CI logs) gets no line.
  const char* term = std::getenv("TERM");
  if (g_verbosity == Verbosity::quiet || !::isatty(STDERR_FILENO) ||
      (term && std::string_view(term) == "dumb"))
    return nullptr;
  using Clock = std::chrono::steady_clock;
  return [last = std::string(), shown = std::size_t(101), began = Clock::now()](
             std::string_view stage, std::size_t done, std::size_t total) mutable {
    std::size_t pct = total ? done * 100 / total : 100;
    if (stage == last && pct == shown) return;
    if (stage != last) began = Clock::now();
    last = std::string(stage);
    shown = pct;
    // A bar of 20 cells, and the time left at the stage's pace so far once a tenth is done.
    std::string bar(pct / 5, '#');
    bar.resize(20, '.');
    double elapsed = std::chrono::duration<double>(Clock::now() - began).count();
    std::string eta = pct >= 10 && pct < 100
                          ? fmt::format(", about {:.0f} s left", elapsed * (100.0 - pct) / pct)
                          : std::string();
    std::cerr << fmt::format("\r\x1b[K{} [{}] {}%{}", stage, bar, pct, eta) << std::flush;
  };
}

void show_stage(std::string_view what) {
  if (terminal_progress()) std::cerr << fmt::format("\r\x1b[K{}...", what) << std::flush;
}

void clear_progress(const Progress& p) {
  if (p) std::cerr << "\r\x1b[K" << std::flush;
}

}  // namespace chokepoint::cli
