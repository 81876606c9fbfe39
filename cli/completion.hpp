// Shell completion derived from the commands as CLI11 holds them: every command and alias, each
// command's flags, and the values of options that take one of a set (formats from the formats
// table). `chokepoint --completion bash` prints it; the build installs what it prints.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace chokepoint::cli {

std::string bash_completion(const CLI::App& app);

}  // namespace chokepoint::cli
