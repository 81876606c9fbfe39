// How far a long analysis has come. Analyses call it; the CLI decides whether to show it.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

namespace chokepoint {

using Progress = std::function<void(std::string_view stage, std::size_t done, std::size_t total)>;

inline void report_progress(const Progress* p, std::string_view stage, std::size_t done,
                            std::size_t total) {
  if (p && *p) (*p)(stage, done, total);
}

}  // namespace chokepoint
