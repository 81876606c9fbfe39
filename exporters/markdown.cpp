#include "exporters/markdown.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ostream>

#include "exporters/report/text.hpp"

namespace chokepoint {

namespace {

using report::Block;
using report::Inline;
using report::Section;
using report::Span;

std::string render(const Inline& content) {
  std::string out;
  for (const Span& s : content) {
    switch (s.kind) {
      case Span::Kind::code:
        out += fmt::format("`{}`", markdown_escape(s.text));
        break;
      case Span::Kind::node:
        out += s.text == s.id ? "`" + s.id + "`" : markdown_escape(s.text) + " (`" + s.id + "`)";
        break;
      case Span::Kind::strong:
        out += fmt::format("**{}**", markdown_escape(s.text));
        break;
      case Span::Kind::link:
        out += fmt::format("[{}]({})", markdown_escape(s.text), s.id);
        break;
      case Span::Kind::bar: {
        // Eighths of a block: a bar of 20 characters reads at a glance in any viewer.
        int eighths = static_cast<int>(std::lround(std::clamp(s.value, 0.0, 1.0) * 160));
        static const char* kParts[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
        for (int i = 0; i < eighths / 8; ++i) out += "█";
        out += kParts[eighths % 8];
        break;
      }
      default:
        out += markdown_escape(s.text);
    }
  }
  return out;
}

void table(std::ostream& out, const report::Table& t) {
  out << '|';
  for (const auto& c : t.columns) out << ' ' << markdown_escape(c) << " |";
  out << "\n|";
  for (std::size_t i = 0; i < t.columns.size(); ++i) out << (t.numeric[i] ? "---:|" : "---|");
  out << '\n';
  for (const auto& row : t.rows) {
    out << '|';
    for (const auto& cell : row) out << ' ' << render(cell.content) << " |";
    out << '\n';
  }
  if (t.rows.empty() && !t.empty.empty()) {
    out << "| " << t.empty << " |";
    for (std::size_t i = 1; i < t.columns.size(); ++i) out << " |";
    out << '\n';
  }
  out << '\n';
}

void block(std::ostream& out, const Block& b) {
  switch (b.kind) {
    case Block::Kind::paragraph:
      out << render(b.content) << "\n\n";
      break;
    case Block::Kind::note:
      out << "> " << render(b.content) << "\n\n";
      break;
    case Block::Kind::table:
      table(out, b.table);
      break;
    case Block::Kind::bullets:
      for (const auto& item : b.items) out << "- " << render(item) << '\n';
      out << '\n';
      break;
    case Block::Kind::figure:
      out << "![" << render(b.content) << "](" << b.path << ")\n\n";
      break;
  }
}

void section(std::ostream& out, const Section& s, int level) {
  if (s.reference) return;
  out << std::string(static_cast<std::size_t>(level), '#') << ' ' << markdown_escape(s.title)
      << "\n\n";
  for (const auto& b : s.blocks) block(out, b);
  for (const auto& c : s.children) section(out, c, level + 1);
}

}  // namespace

void write_markdown(std::ostream& out, const report::Document& d) {
  out << "# " << markdown_escape(d.title) << "\n\n";
  for (const auto& f : d.facts) out << "- " << render(f) << '\n';
  if (!d.facts.empty()) out << '\n';
  for (const auto& n : d.notes) out << "> Note: " << markdown_escape(n) << "\n\n";
  for (const auto& s : d.sections) section(out, s, 2);
  if (!d.provenance.empty()) out << "## Provenance\n\n" << render(d.provenance) << "\n";
}

}  // namespace chokepoint
