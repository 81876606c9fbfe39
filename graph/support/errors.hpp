// The one exception hierarchy of chokepoint; cli/ maps each class to an exit code.
#pragma once

#include <stdexcept>
#include <string>

namespace chokepoint {

// Base of every error thrown at a boundary (loader, rule reader, file output, CLI).
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The input is invalid; the diagnostics have been collected and say why. Exit 1.
class InputError : public Error {
 public:
  using Error::Error;
};

// The command line is wrong. Exit 2.
class UsageError : public Error {
 public:
  using Error::Error;
};

// An analysis was asked for what it cannot answer: a side the graph does not have, more work than
// it takes on. It speaks in the analysis's terms; cli/ answers it as bad usage (exit 2), naming
// the flag where it knows which.
class AnalysisError : public Error {
 public:
  using Error::Error;
};

// A side (a jurisdiction or bloc name) that the graph does not have, given to an analysis.
class UnknownSide : public AnalysisError {
 public:
  explicit UnknownSide(std::string side)
      : AnalysisError("unknown jurisdiction or bloc '" + side + "'"), name(std::move(side)) {}
  std::string name;
};

// A side that has no target to measure (none located in it or without jurisdiction): a fact
// about the graph, so cli/ answers it as invalid input (exit 1).
class SideWithoutTargets : public AnalysisError {
 public:
  explicit SideWithoutTargets(const std::string& side)
      : AnalysisError("'" + side +
                      "' has no target: no target is located there or without jurisdiction, so "
                      "no control against it can be measured") {}
};

// A file could not be read or written, or an internal limit was hit. Exit 3.
class IoError : public Error {
 public:
  using Error::Error;
};

}  // namespace chokepoint
