// Rule files (docs/rules.md): severity bands and rules whose `when` expressions are checked at
// load, and the scoring of every node of an analysis.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/analysis/analysis.hpp"
#include "graph/model/expression.hpp"
#include "graph/support/diagnostics.hpp"

namespace chokepoint::rules {

enum class Level { info, low, medium, high, critical };
std::string_view level_name(Level level);
std::optional<Level> parse_level(std::string_view name);

// A piece of a message template: literal text, or a placeholder with an optional format.
struct MessagePart {
  std::string text;  // literal text when !placeholder
  bool placeholder = false;
  bool attr = false;           // attrs.NAME
  std::size_t identifier = 0;  // index into identifiers() when !attr
  std::string attr_name;
  enum class Format { plain, percent, fixed } format = Format::plain;
  int decimals = 0;
};

struct Rule {
  std::string id;
  std::string description;
  Expression when;
  Level severity = Level::info;
  double score = 0;
  std::vector<MessagePart> message;
  SourceLocation where;
};

struct Bands {
  double low = 10, medium = 25, high = 50, critical = 80;
  Level level_of(double score) const;
};

struct RuleSet {
  std::vector<Rule> rules;  // in file order, then definition order
  Bands bands;
};

// Loads and checks rule files; every problem goes to `diags` with its position (inside the
// expression for `when`). Returns nullopt when there was an error.
std::optional<RuleSet> load_rules(const std::vector<std::string>& paths, SourceFiles& files,
                                  Diagnostics& diags);
std::optional<RuleSet> load_rules_text(const std::string& path, std::string text,
                                       SourceFiles& files, Diagnostics& diags);

// The longest rendered message, in bytes; a longer one is cut and ends in "…".
constexpr std::size_t kMaxMessage = 2'000;

struct FiredRule {
  const Rule* rule;
  std::string message;
};

struct NodeScore {
  double score = 0;  // capped at 100
  Level severity = Level::info;
  std::vector<FiredRule> fired;
};

// Scores every node of the analysis: the capped sum of the fired rules' scores, and the higher of
// the highest fired severity and the band the score reaches. O(nodes * rules * expression size).
std::vector<NodeScore> score_nodes(const RuleSet& rules, const Analysis& analysis);

// Nodes ordered by severity (highest first), then score, then id; with `fired_only`, only nodes
// that some rule fired for.
std::vector<NodeIndex> rank_by_severity(const Model& model, const std::vector<NodeScore>& scores,
                                        bool fired_only);

// The folder of the shipped data (rules/default.yaml in it), found from where the executable is,
// never from where it was built: $CHOKEPOINT_DATA_DIR when set; else <prefix>/share/chokepoint
// for an installed <prefix>/bin/chokepoint; else share/chokepoint in the executable's own folder
// (a build tree, where CMake copies it). Nullopt when none of them holds the rules.
std::optional<std::string> find_data_dir();
// The shipped default rules (DATA/rules/default.yaml). Throws IoError naming the places looked
// at, and how to say where the data is, when they are not found.
std::string default_rules_path();
// Whether `path` is the shipped default rules; never throws.
bool is_default_rules_path(std::string_view path);

}  // namespace chokepoint::rules
