// The severity palette shared by the diagrams and the graph files for other tools (GEXF colours):
// colour-blind-safe ColorBrewer RdBu, light to dark for rising severity, with line width as a
// second cue.
#pragma once

#include "rules/rule_set.hpp"

namespace chokepoint {

struct LevelStyle {
  const char* fill;    // #rrggbb
  const char* border;  // #rrggbb
  const char* font;    // #rrggbb
  double penwidth;
};

inline LevelStyle level_style(rules::Level level) {
  switch (level) {
    case rules::Level::critical:
      return {"#b2182b", "#67001f", "#ffffff", 3.5};
    case rules::Level::high:
      return {"#ef8a62", "#b2182b", "#000000", 2.5};
    case rules::Level::medium:
      return {"#fddbc7", "#d6604d", "#000000", 1.6};
    case rules::Level::low:
      return {"#d1e5f0", "#4393c3", "#000000", 1.2};
    case rules::Level::info:
      return {"#f7f7f7", "#878787", "#000000", 1.0};
  }
  return {"#f7f7f7", "#878787", "#000000", 1.0};
}

}  // namespace chokepoint
