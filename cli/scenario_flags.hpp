// The flags that describe a scenario, defined once for every command that takes one: scenario
// files (-s), changes (--remove, --remove-jurisdiction, --capacity), controls (--control,
// --embargo with --items, --made-with, --fdpr, --de-minimis) and --for. They go through the same
// ScenarioBuilder as a scenario file, so they accept the same things and fail with the same
// messages, each at its column inside the flag's value.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/loading.hpp"
#include "graph/analysis/compare.hpp"
#include "graph/input/scenario_builder.hpp"

namespace chokepoint::cli {

struct ScenarioFlags {
  // Which flags a command takes.
  enum Part : unsigned {
    kFiles = 1,     // -s,--scenario
    kChanges = 2,   // --remove, --remove-jurisdiction, --capacity
    kControls = 4,  // --control, --embargo and the terms of their controls
    kDuration = 8,  // --for
    // The terms of one control the command builds itself (coalitions): --items, --made-with,
    // --fdpr, --de-minimis, worded for "the control".
    kControlTerms = 16,
    kStatic = kFiles | kChanges | kControls,  // the static analyses: no --for
    kAll = kStatic | kDuration,
    // --baseline FILE (repeatable): parts that never end, the world every scenario starts from
    // (timeline, compare).
    kBaseline = 32,
  };

  std::vector<std::string> files, baselines;
  std::vector<std::string> remove, remove_jurisdictions, capacity, embargo, control;
  std::string items, made_with;
  bool fdpr = false;
  double de_minimis = 0.0;
  std::optional<double> duration;
  std::string as_of;  // --as-of YYYY-MM-DD: the files' controls lifted by then dropped

  // The scenario files read, for provenance: each --baseline, then each -s.
  std::vector<std::string> files_read() const;
  // True when the flags change anything (a file, a change or a control).
  bool any() const;
  // True when a change or a control is given on the command line (not only files).
  bool changes_any() const;
};

void add_scenario_flags(CLI::App& cmd, ScenarioFlags& flags, unsigned parts);

// The scenario files (merged) with the flags applied on top; nullopt when no flag was given.
// Mistakes are printed; InputError for a bad file, UsageError for bad flags — among them a
// control term (--items, --made-with, --fdpr, --de-minimis) that shapes no control: none from
// --control or --embargo, and the command builds none of its own (`own_controls`: decouple's
// and --between/--and's embargoes take the terms too).
std::optional<Scenario> build_scenario(Loaded& l, const ScenarioFlags& flags,
                                       bool own_controls = false);

// The scenario in parts (docs/scenarios.md): each --baseline file (never ends), each -s file and
// the command-line flags (one part), in that order; --for gives a duration to every part that is
// neither a baseline nor has one of its own. Empty when no flag was given. Mistakes as
// build_scenario; a control id two parts define is an InputError.
ScenarioParts build_parts(Loaded& l, const ScenarioFlags& flags);

// compare: the baseline (each --baseline file, merged; none: the graph as it is) first, then each
// alternative laid on it — each -s file, then the command-line flags as one more — named by its
// own name (else its file), not the merged one. Alternatives may define the same control ids (one
// or the other applies); a control id the baseline defines again is an InputError. Mistakes as
// build_scenario.
std::vector<ComparedScenario> build_alternatives(Loaded& l, const ScenarioFlags& flags);

// A control's terms from the flags (--items, --made-with, --fdpr, --de-minimis); `by` and
// `against` are the caller's.
ControlSpec control_terms(Loaded& l, const ScenarioFlags& flags);
// Those terms resolved and checked as the template of controls whose `by` is filled in later
// (coalitions, withholding), against `against` if given; a mistake is printed at its flag and
// ends in UsageError.
Control control_template(Loaded& l, const ScenarioFlags& flags,
                         std::optional<std::string> against = std::nullopt);

}  // namespace chokepoint::cli
