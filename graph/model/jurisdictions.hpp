// The built-in jurisdiction codes: ISO 3166-1 alpha-2.
#pragma once

#include <span>
#include <string_view>

namespace chokepoint {

struct Jurisdiction {
  std::string_view code;
  std::string_view alpha3;
  std::string_view name;
};

// All ISO 3166-1 alpha-2 codes, sorted by code.
std::span<const Jurisdiction> iso_jurisdictions();
const Jurisdiction* find_iso_jurisdiction(std::string_view code);
// The jurisdiction of an ISO 3166-1 alpha-3 code ("USA"), or null.
const Jurisdiction* find_iso_alpha3(std::string_view alpha3);

}  // namespace chokepoint
