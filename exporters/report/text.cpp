#include "exporters/report/text.hpp"

#include <fmt/format.h>

#include <cmath>

namespace chokepoint {

double report_number(double v) {
  double r = std::round(v * 1e12) / 1e12;
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

std::string csv_field(std::string_view text) {
  // A spreadsheet runs a cell as a formula when its first visible character is = + - @ (also
  // their full-width forms), even after spaces, tabs or line breaks.
  std::size_t first = text.find_first_not_of(" \t\r\n");
  std::string_view head = first == std::string_view::npos ? std::string_view() : text.substr(first);
  bool formula =
      (!head.empty() && (head[0] == '=' || head[0] == '+' || head[0] == '-' || head[0] == '@')) ||
      head.rfind("\xEF\xBC\x9D", 0) == 0 ||  // U+FF1D full-width =
      head.rfind("\xEF\xBC\x8B", 0) == 0 ||  // U+FF0B full-width +
      head.rfind("\xEF\xBC\x8D", 0) == 0 ||  // U+FF0D full-width -
      head.rfind("\xEF\xBC\xA0", 0) == 0 ||  // U+FF20 full-width @
      (!text.empty() && (text[0] == '\t' || text[0] == '\r'));
  std::string value = formula ? "'" : "";
  for (char c : text)
    if (c != '\0') value += c;  // NUL ends a field in many readers
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

std::string shortened(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "…";
}

}  // namespace chokepoint
