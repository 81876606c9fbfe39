#include "cli/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <iostream>
#include <string>

namespace chokepoint::cli {

Progress terminal_progress() {
  if (!::isatty(STDERR_FILENO)) return nullptr;
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
