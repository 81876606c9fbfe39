#include "exporters/report/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "graph/support/utf8.hpp"

namespace chokepoint {

double report_number(double v) {
  if (v == 0.0 || !std::isfinite(v)) return v == 0.0 ? 0.0 : v;
  // Twelve decimals, and no more than twelve significant digits: an HHI summed from shares
  // prints 5050, not 5050.000000000001 (rounding at 1e-12 cannot reach that digit).
  int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(v))));
  double scale = std::pow(10.0, std::min(12, 11 - magnitude));
  double r = std::round(v * scale) / scale;
  return r == 0.0 ? 0.0 : r;  // no "-0.0"
}

std::string markdown_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '|':
      case '\\':
      case '*':
      case '_':
      case '`':
      case '[':
      case ']':
      case '#':
        out += '\\';
        out += c;
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '\n':
      case '\r':
      case '\t':
        out += ' ';
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) break;  // other control characters dropped
        out += c;
    }
  }
  return out;
}

std::string short_number(double v) {
  std::string s = fmt::format("{:.4f}", report_number(v));
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

namespace {

// What a spreadsheet skips before the first visible character of a cell: spaces of every width
// (U+00A0, U+2000-U+200A, U+202F, U+205F, U+3000), zero-width ones (U+200B, U+2060, U+FEFF) and
// line breaks.
bool blank(char32_t c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xA0 ||
         (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F || c == 0x2060 || c == 0x3000 ||
         c == 0xFEFF;
}

// What starts a formula: = + - @ and their full-width (U+FF1D, U+FF0B, U+FF0D, U+FF20) and small
// (U+FE66, U+FE62, U+FE63, U+FE6B) forms.
bool formula_start(char32_t c) {
  return c == '=' || c == '+' || c == '-' || c == '@' || c == 0xFF1D || c == 0xFF0B ||
         c == 0xFF0D || c == 0xFF20 || c == 0xFE66 || c == 0xFE62 || c == 0xFE63 || c == 0xFE6B;
}

}  // namespace

namespace {

bool plain_number(std::string_view text) {
  double number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  return !text.empty() && error == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::string csv_field(std::string_view text) {
  // A spreadsheet runs a cell as a formula when its first visible character starts one, even
  // after blanks; a cell starting with a tab or carriage return is guarded too.
  // A number alone ("-0.12", "1e-05") is read as a number, never run: guarding it would turn
  // a negative figure into text.
  bool formula = !text.empty() && (text[0] == '\t' || text[0] == '\r');
  for (std::size_t i = 0, len = 0; i < text.size() && !formula && !plain_number(text); i += len) {
    char32_t c = utf8::decode(text, i, len);
    if (blank(c)) continue;
    formula = formula_start(c);
    break;
  }
  std::string value = formula ? "'" : "";
  // Control characters (ESC, BEL, VT, NUL ends a field in many readers) and DEL are dropped; tabs
  // and line breaks stay, quoted.
  for (char c : text)
    if ((static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) || c == '\t' || c == '\r' || c == '\n')
      value += c;
  bool quote = value.find_first_of(",\"\r\n") != std::string::npos;
  if (!quote) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string xml_escape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        // XML 1.0 allows no control characters other than tab and line breaks (nor DEL here),
        // and not the noncharacters U+FFFE and U+FFFF (EF BF BE, EF BF BF).
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
            c == 0x7f)
          break;
        if (static_cast<unsigned char>(c) == 0xEF && i + 2 < text.size() &&
            static_cast<unsigned char>(text[i + 1]) == 0xBF &&
            (static_cast<unsigned char>(text[i + 2]) & 0xFE) == 0xBE) {
          i += 2;
          break;
        }
        out += c;
    }
  }
  return out;
}

std::string listed(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i)
    out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
  return out;
}

std::string shortened(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  return std::string(text.substr(0, utf8::cut(text, max_bytes))) + "…";
}

}  // namespace chokepoint
