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
  return [last = std::string(), shown = std::size_t(101)](std::string_view stage, std::size_t done,
                                                          std::size_t total) mutable {
    std::size_t pct = total ? done * 100 / total : 100;
    if (stage == last && pct == shown) return;
    last = std::string(stage);
    shown = pct;
    std::cerr << fmt::format("\r\x1b[K{}: {}%", stage, pct) << std::flush;
  };
}

void clear_progress(const Progress& p) {
  if (p) std::cerr << "\r\x1b[K" << std::flush;
}

}  // namespace chokepoint::cli
