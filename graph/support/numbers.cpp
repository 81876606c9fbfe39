#include "graph/support/numbers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace chokepoint {

std::string significant(double x, int digits) {
  if (x == 0) return "0";
  digits = std::max(digits, 1);
  int decimals = std::max(0, digits - 1 - static_cast<int>(std::floor(std::log10(std::fabs(x)))));
  double scale = std::pow(10.0, decimals);
  double rounded = std::round(x * scale) / scale;
  if (decimals > 0 && std::fabs(rounded) >= std::pow(10.0, digits - decimals)) decimals -= 1;
  return fmt::format("{:.{}f}", rounded, decimals);
}

std::string percent(double capacity, int digits) {
  double p = capacity * 100;
  return p <= 0 ? "0 %" : significant(p, digits) + " %";
}

}  // namespace chokepoint
