// Numbers as reports and rule messages print them: significant digits and percentages.
#pragma once

#include <string>

namespace chokepoint {

// x with `digits` significant digits (1 or more; the whole part is never cut: "1235" with 1):
// with 2, "52", "0.31", "0.0010"; a value that
// rounds up to the next power of ten loses its extra digit (9.96 -> "10", 0.99999 -> "1.0").
std::string significant(double x, int digits);
// "52 %", "0.31 %", "100 %": a capacity (0..1) as a percentage with two significant digits, or
// `digits` (--precision).
std::string percent(double capacity, int digits = 2);

}  // namespace chokepoint
