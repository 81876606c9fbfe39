#include "exporters/html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ostream>

#include "exporters/report/text.hpp"

namespace chokepoint {

namespace {

using report::Block;
using report::Inline;
using report::Section;
using report::Span;

const char* kCss =
    R"(body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#222;line-height:1.4}
h1{font-size:1.6em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.6em 0;font-size:.92em}th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}table.sortable th{cursor:pointer}table.sortable th:focus{outline:2px solid #2166ac}
th[aria-sort=ascending]::after{content:" \25B2"}th[aria-sort=descending]::after{content:" \25BC"}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.sev{padding:0 .35em;border-radius:3px;font-size:.9em}.sev.critical{background:#67001f;color:#fff}.sev.high{background:#d6604d;color:#fff}
.sev.medium{background:#f4a582}.sev.low{background:#fddbc7}.sev.info{background:#eee}
.lost{color:#b2182b;font-weight:bold}.degraded{color:#b35806}
.note{color:#555;font-size:.9em}blockquote{border-left:4px solid #d6604d;margin:.6em 0;padding:.2em .8em;background:#fdf3ef}
code{font-size:.95em}td ul{margin:0;padding-left:1.2em}nav ul{columns:2}
.filters{margin:.5em 0}.filters input,.filters select{margin-right:.6em;font-size:1em}
.diagram{overflow:auto;border:1px solid #ddd;padding:4px;max-height:80vh}.diagram svg{transform-origin:0 0}
.zoom button{font-size:1em;margin-right:.3em}
details.node{border-top:1px solid #eee;padding:.3em 0}details.node summary{cursor:pointer}
details.node:target{background:#fffbe6}.bar{display:inline-block;height:.8em;background:#2166ac;vertical-align:middle})";

// Sorting (click, Enter or Space on a header; aria-sort says the order), search and facet
// filters for tables marked searchable, and zoom for the diagram. Plain DOM, no network.
const char* kScript =
    R"(function cellValue(r,i){var c=r.cells[i];return c?(c.dataset.v!==undefined?c.dataset.v:c.textContent):''}
document.querySelectorAll('table.sortable').forEach(function(t){
var ths=t.querySelectorAll('thead th');
ths.forEach(function(th,i){th.tabIndex=0;th.setAttribute('aria-sort','none');
function sort(){var b=t.tBodies[0],rows=Array.from(b.rows),asc=th.getAttribute('aria-sort')!=='ascending';
ths.forEach(function(h){h.setAttribute('aria-sort','none')});th.setAttribute('aria-sort',asc?'ascending':'descending');
var num=th.classList.contains('num');
rows.sort(function(x,y){var a=cellValue(x,i),c=cellValue(y,i);
var r=num?((parseFloat(a)||(a===''?-1e300:0))-(parseFloat(c)||(c===''?-1e300:0))):a.localeCompare(c);return asc?r:-r});
rows.forEach(function(r){b.appendChild(r)})}
th.addEventListener('click',sort);th.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){e.preventDefault();sort()}})})});
document.querySelectorAll('table.searchable').forEach(function(t){
var box=document.createElement('div');box.className='filters';
var q=document.createElement('input');q.type='search';q.placeholder='Search';q.setAttribute('aria-label','Search '+(t.id||'table'));box.appendChild(q);
var facets=[];
t.querySelectorAll('thead th').forEach(function(th,i){if(!th.dataset.facet)return;
var s=document.createElement('select');s.setAttribute('aria-label','Filter by '+th.textContent);
var o=document.createElement('option');o.value='';o.textContent='any '+th.textContent;s.appendChild(o);
Array.from(new Set(Array.from(t.tBodies[0].rows).map(function(r){return r.cells[i].textContent.trim()}))).sort().forEach(function(v){
var p=document.createElement('option');p.value=v;p.textContent=v||'(none)';s.appendChild(p)});
box.appendChild(s);facets.push([i,s])});
function apply(){var words=q.value.toLowerCase();var shown=0;
Array.from(t.tBodies[0].rows).forEach(function(r){var ok=r.textContent.toLowerCase().indexOf(words)>=0;
facets.forEach(function(f){if(f[1].value!==''&&r.cells[f[0]].textContent.trim()!==f[1].value)ok=false});
r.hidden=!ok;if(ok)shown++});count.textContent=shown+' shown'}
var count=document.createElement('span');count.className='note';box.appendChild(count);
q.addEventListener('input',apply);facets.forEach(function(f){f[1].addEventListener('change',apply)});
t.parentNode.insertBefore(box,t);apply()});
document.querySelectorAll('.diagram').forEach(function(d){var svg=d.querySelector('svg');if(!svg)return;var z=1;
var bar=d.previousElementSibling;function set(v){z=Math.min(8,Math.max(0.2,v));svg.style.transform='scale('+z+')'}
bar.querySelector('.in').addEventListener('click',function(){set(z*1.25)});
bar.querySelector('.out').addEventListener('click',function(){set(z/1.25)});
bar.querySelector('.reset').addEventListener('click',function(){set(1)});
d.addEventListener('wheel',function(e){if(!e.ctrlKey)return;e.preventDefault();set(z*(e.deltaY<0?1.1:1/1.1))})});
if(location.hash){var el=document.getElementById(location.hash.slice(1));if(el&&el.tagName==='DETAILS')el.open=true}
window.addEventListener('hashchange',function(){var el=document.getElementById(location.hash.slice(1));if(el&&el.tagName==='DETAILS')el.open=true});)";

class HtmlWriter {
 public:
  HtmlWriter(std::ostream& out, const std::string& svg, bool node_links)
      : out_(out), svg_(svg), node_links_(node_links) {}

  std::string render(const Inline& content) const {
    std::string out;
    for (const Span& s : content) {
      switch (s.kind) {
        case Span::Kind::code:
          out += fmt::format("<code>{}</code>", xml_escape(s.text));
          break;
        case Span::Kind::node:
          if (node_links_)
            out += fmt::format("<a href=\"#node-{}\">{}</a>", xml_escape(s.id), xml_escape(s.text));
          else
            out += xml_escape(s.text);
          if (s.text != s.id) out += fmt::format(" <code>{}</code>", xml_escape(s.id));
          break;
        case Span::Kind::status:
          out += fmt::format("<span class=\"{0}\">{0}</span>", xml_escape(s.text));
          break;
        case Span::Kind::severity:
          out += "<span class=\"sev " + xml_escape(s.text) + "\">" + xml_escape(s.text) + "</span>";
          break;
        case Span::Kind::strong:
          out += fmt::format("<strong>{}</strong>", xml_escape(s.text));
          break;
        case Span::Kind::link:
          out += fmt::format("<a href=\"{}\">{}</a>", xml_escape(s.id), xml_escape(s.text));
          break;
        case Span::Kind::bar:
          out += fmt::format(
              "<span class=\"bar\" role=\"img\" aria-label=\"{} {:.3f}\" "
              "style=\"width:{:.1f}em\"></span>",
              xml_escape(s.text), s.value, std::clamp(s.value, 0.0, 1.0) * 20);
          break;
        default:
          out += xml_escape(s.text);
      }
    }
    return out;
  }

  void table(const report::Table& t, const std::string& id) {
    out_ << "<table class=\"sortable" << (t.searchable ? " searchable" : "") << "\""
         << (id.empty() ? "" : " id=\"" + xml_escape(id) + "\"") << "><thead><tr>";
    for (std::size_t i = 0; i < t.columns.size(); ++i)
      out_ << "<th scope=\"col\"" << (t.numeric[i] ? " class=\"num\"" : "")
           << (i < t.facet.size() && t.facet[i] ? " data-facet=\"1\"" : "") << ">"
           << xml_escape(t.columns[i]) << "</th>";
    out_ << "</tr></thead><tbody>\n";
    for (const auto& row : t.rows) {
      out_ << "<tr>";
      for (std::size_t i = 0; i < row.size(); ++i) {
        out_ << "<td";
        if (i < t.numeric.size() && t.numeric[i]) out_ << " class=\"num\"";
        if (row[i].sort) out_ << " data-v=\"" << fmt::format("{}", *row[i].sort) << "\"";
        out_ << ">" << render(row[i].content) << "</td>";
      }
      out_ << "</tr>\n";
    }
    if (t.rows.empty() && !t.empty.empty())
      out_ << "<tr><td colspan=\"" << t.columns.size() << "\">" << xml_escape(t.empty)
           << "</td></tr>\n";
    out_ << "</tbody></table>\n";
  }

  void block(const Block& b, const std::string& anchor) {
    switch (b.kind) {
      case Block::Kind::paragraph:
        out_ << "<p>" << render(b.content) << "</p>\n";
        break;
      case Block::Kind::note:
        out_ << "<blockquote>" << render(b.content) << "</blockquote>\n";
        break;
      case Block::Kind::table:
        table(b.table, anchor == "nodes" ? "nodes" : "");
        break;
      case Block::Kind::bullets:
        out_ << "<ul>";
        for (const auto& item : b.items) out_ << "<li>" << render(item) << "</li>";
        out_ << "</ul>\n";
        break;
      case Block::Kind::figure: {
        const std::string& svg = b.svg.empty() ? svg_ : b.svg;
        std::size_t start = svg.find("<svg");
        if (start == std::string::npos) {
          out_ << "<p><img src=\"" << xml_escape(b.path) << "\" alt=\"" << render(b.content)
               << "\"></p>\n";
          break;
        }
        out_ << "<div class=\"zoom\"><button type=\"button\" class=\"in\" aria-label=\"Zoom "
                "in\">+</button><button type=\"button\" class=\"out\" aria-label=\"Zoom "
                "out\">&#8722;</button><button type=\"button\" class=\"reset\">100%</button>"
                "<span class=\"note\">Ctrl + wheel zooms; the frame scrolls.</span></div>\n"
             << "<div class=\"diagram\" role=\"img\" aria-label=\"" << render(b.content) << "\">\n"
             << svg.substr(start) << "</div>\n";
        break;
      }
    }
  }

  void section(const Section& s, int level) {
    if (s.reference && s.anchor.rfind("node-", 0) == 0) {
      out_ << "<details class=\"node\" id=\"" << xml_escape(s.anchor) << "\"><summary>"
           << xml_escape(s.title) << "</summary>\n";
      for (const auto& b : s.blocks) block(b, s.anchor);
      out_ << "</details>\n";
      return;
    }
    out_ << "<h" << level << " id=\"" << xml_escape(s.anchor) << "\">" << xml_escape(s.title)
         << "</h" << level << ">\n";
    for (const auto& b : s.blocks) block(b, s.anchor);
    for (const auto& c : s.children) section(c, std::min(level + 1, 6));
  }

 private:
  std::ostream& out_;
  const std::string& svg_;
  bool node_links_;
};

bool has_node_details(const std::vector<Section>& sections) {
  for (const auto& s : sections)
    if (s.anchor.rfind("node-", 0) == 0 || has_node_details(s.children)) return true;
  return false;
}

}  // namespace

void write_html(std::ostream& out, const report::Document& d, const std::string& svg) {
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>" << xml_escape(d.title) << "</title>\n<style>\n"
      << kCss << "\n</style>\n</head>\n<body>\n";
  HtmlWriter w(out, svg, has_node_details(d.sections));
  out << "<h1>" << xml_escape(d.title) << "</h1>\n<ul>";
  for (const auto& f : d.facts) out << "<li>" << w.render(f) << "</li>";
  out << "</ul>\n";
  for (const auto& n : d.notes) out << "<blockquote>Note: " << xml_escape(n) << "</blockquote>\n";
  out << "<nav aria-label=\"Contents\"><ul>";
  for (const auto& s : d.sections)
    out << "<li><a href=\"#" << xml_escape(s.anchor) << "\">" << xml_escape(s.title) << "</a></li>";
  out << "</ul></nav>\n";
  for (const auto& s : d.sections) w.section(s, 2);
  out << "<script>\n" << kScript << "\n</script>\n</body>\n</html>\n";
}

}  // namespace chokepoint
