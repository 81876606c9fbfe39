#include "cli/commands.hpp"

namespace chokepoint::cli {

const std::vector<CommandSpec>& commands() {
  static const std::vector<CommandSpec> kCommands = {
      {"validate", {}, kValidateHelp, setup_validate},
      {"analyze", {"analyse"}, kAnalyzeHelp, setup_analyze},
      {"whatif", {}, kWhatifHelp, setup_whatif},
      {"render", {}, kRenderHelp, setup_render},
      {"decouple", {}, kDecoupleHelp, setup_decouple},
      {"coalitions", {}, kCoalitionsHelp, setup_coalitions},
      {"timeline", {}, kTimelineHelp, setup_timeline},
      {"uncertainty", {}, kUncertaintyHelp, setup_uncertainty},
      {"compare", {}, kCompareHelp, setup_compare},
      {"import", {}, kImportHelp, setup_import},
  };
  return kCommands;
}

std::string command_names() {
  const auto& all = commands();
  std::string out;
  for (std::size_t i = 0; i < all.size(); ++i)
    out += std::string(i == 0                ? ""
                       : i + 1 == all.size() ? " and "
                                             : ", ") +
           std::string(all[i].name);
  return out;
}

}  // namespace chokepoint::cli
