// UTF-8 helpers shared by messages, reports and writers: cutting text at a character boundary,
// decoding, and the characters no output should carry (noncharacters, bidirectional controls).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace chokepoint::utf8 {

// The largest length of at most `max_bytes` that does not end inside a multi-byte character.
inline std::size_t cut(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text.size();
  std::size_t at = max_bytes;
  while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;
  return at;
}

// `text` itself, or its first characters within `max_bytes` followed by `ellipsis` (which the
// limit includes when it fits).
inline std::string shortened(std::string_view text, std::size_t max_bytes,
                             std::string_view ellipsis = "…") {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t room = max_bytes > ellipsis.size() ? max_bytes - ellipsis.size() : 0;
  return std::string(text.substr(0, cut(text, room))) + std::string(ellipsis);
}

// Decodes the character at `i` of valid UTF-8 and sets `len` to its length (1 for a stray byte,
// whose value is returned as is).
inline char32_t decode(std::string_view text, std::size_t i, std::size_t& len) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  unsigned char c = b(0);
  len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
  if (i + len > text.size()) len = 1;
  for (std::size_t k = 1; k < len; ++k)
    if ((b(k) & 0xC0) != 0x80) len = 1;
  if (len == 1) return c;
  char32_t v = c & (0x7F >> len);
  for (std::size_t k = 1; k < len; ++k) v = (v << 6) | (b(k) & 0x3F);
  return v;
}

// Unicode noncharacters: U+FDD0..U+FDEF and the last two code points of every plane (U+FFFE,
// U+FFFF, U+1FFFE, ...). Not allowed in XML 1.0's recommended range; cairo fails on some.
inline bool noncharacter(char32_t c) {
  return (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
}

// Bidirectional embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069) and the
// marks U+200E/U+200F/U+061C: they reorder the text around them in a label ("Trojan Source").
inline bool bidi_control(char32_t c) {
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E ||
         c == 0x200F || c == 0x061C;
}

}  // namespace chokepoint::utf8
