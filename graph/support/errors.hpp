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

// A file could not be read or written, or an internal limit was hit. Exit 3.
class IoError : public Error {
 public:
  using Error::Error;
};

}  // namespace chokepoint
