#include "exporters/html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ostream>
#include <sstream>
#include <utility>

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
.filters{margin:.5em 0}.filters input,.filters select{margin-right:.6em;font-size:1em}.pager{margin:.3em 0}.pager button{font-size:1em}
.diagram{overflow:auto;border:1px solid #ddd;padding:4px;max-height:80vh}.diagram svg{transform-origin:0 0}
.zoom button{font-size:1em;margin-right:.3em}
details.node{border-top:1px solid #eee;padding:.3em 0}details.node summary{cursor:pointer}
details.node:target{background:#fffbe6}.bar{display:inline-block;height:.8em;background:#2166ac;vertical-align:middle})";

// Sorting (click, Enter or Space on a header; aria-sort says the order), search and facet
// filters for tables marked searchable, and zoom for the diagram. Plain DOM, no network. A table
// with many rows ("paged") keeps them as JSON beside it and draws one page at a time; node
// details beyond a thousand are made from their JSON when a link asks for one.
const char* kScript =
    R"(var collator=new Intl.Collator();
function esc(s){return String(s).replace(/[&<>"]/g,function(c){return {'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]})}
function tableView(t){
var paged=t.classList.contains('paged'),body=t.tBodies[0],ths=Array.from(t.querySelectorAll('thead th')),rows;
if(paged)rows=JSON.parse(t.nextElementSibling.textContent).map(function(r){return {c:r.map(function(c){return typeof c==='string'?[c]:typeof c==='number'?[String(c),c]:c})}});
else rows=Array.from(body.rows).map(function(tr){return {el:tr,c:Array.from(tr.cells).map(function(td){return [td.textContent,td.dataset.v]})}});
var order=rows,shown=rows,page=0,size=100,words='',facets=[],count=null,pager=null;
function cell(r,i){return r.c[i]||['']}
function key(r,i,num){var c=cell(r,i),v=c[1]!=null?String(c[1]):c[0];if(!num)return v;return parseFloat(v)||(v===''?-1e300:0)}
function text(r){if(r.t===undefined)r.t=r.c.map(function(c){return c[0]}).join(' ').toLowerCase();return r.t}
function filter(){shown=order.filter(function(r){if(words&&text(r).indexOf(words)<0)return false;
return facets.every(function(f){var v=f[1].value;if(v==='')return true;var x=cell(r,f[0])[0].trim();return v==='\u0001'?x==='':x===v})})}
function render(){
if(!paged){order.forEach(function(r){body.appendChild(r.el)});var on=new Set(shown);rows.forEach(function(r){r.el.hidden=!on.has(r)})}
else{var pages=Math.max(1,Math.ceil(shown.length/size));page=Math.min(page,pages-1);var f=document.createDocumentFragment();
shown.slice(page*size,page*size+size).forEach(function(r){var tr=document.createElement('tr');
ths.forEach(function(th,i){var c=cell(r,i),td=document.createElement('td');if(th.classList.contains('num'))td.className='num';
td.innerHTML=c[2]!=null?c[2]:esc(c[0]);tr.appendChild(td)});f.appendChild(tr)});
body.textContent='';body.appendChild(f);
pager.querySelector('.where').textContent='rows '+(shown.length?page*size+1:0)+'\u2013'+Math.min(shown.length,page*size+size)+' of '+shown.length;
pager.querySelector('.prev').disabled=page===0;pager.querySelector('.next').disabled=page>=pages-1}
if(count)count.textContent=shown.length+' shown'}
ths.forEach(function(th,i){th.tabIndex=0;th.setAttribute('aria-sort','none');
function sort(){var asc=th.getAttribute('aria-sort')!=='ascending',num=th.classList.contains('num');
ths.forEach(function(h){h.setAttribute('aria-sort','none')});th.setAttribute('aria-sort',asc?'ascending':'descending');
var keyed=rows.map(function(r,n){return [key(r,i,num),n,r]});
keyed.sort(function(x,y){var d=num?x[0]-y[0]:collator.compare(x[0],y[0]);return (asc?d:-d)||x[1]-y[1]});
order=keyed.map(function(k){return k[2]});filter();page=0;render()}
th.addEventListener('click',sort);th.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){e.preventDefault();sort()}})});
if(paged){pager=document.createElement('div');pager.className='pager';
pager.innerHTML='<button type="button" class="prev">Previous</button> <span class="where note"></span> <button type="button" class="next">Next</button>';
pager.querySelector('.prev').addEventListener('click',function(){page--;render()});
pager.querySelector('.next').addEventListener('click',function(){page++;render()});
t.parentNode.insertBefore(pager,t.nextSibling)}
if(t.classList.contains('searchable')){var box=document.createElement('div');box.className='filters';
var q=document.createElement('input');q.type='search';q.placeholder='Search';q.setAttribute('aria-label','Search '+(t.id||'table'));box.appendChild(q);
ths.forEach(function(th,i){if(!th.dataset.facet)return;
var s=document.createElement('select');s.setAttribute('aria-label','Filter by '+th.textContent);
var o=document.createElement('option');o.value='';o.textContent='any '+th.textContent;s.appendChild(o);
Array.from(new Set(rows.map(function(r){return cell(r,i)[0].trim()}))).sort().forEach(function(v){
var p=document.createElement('option');p.value=v===''?'\u0001':v;p.textContent=v||'(none)';s.appendChild(p)});
box.appendChild(s);facets.push([i,s])});
count=document.createElement('span');count.className='note';box.appendChild(count);
function apply(){words=q.value.toLowerCase();filter();page=0;render()}
q.addEventListener('input',apply);facets.forEach(function(f){f[1].addEventListener('change',apply)});
t.parentNode.insertBefore(box,t)}
render()}
document.querySelectorAll('table.sortable').forEach(tableView);
document.querySelectorAll('.diagram').forEach(function(d){var svg=d.querySelector('svg');if(!svg)return;var z=1;
var bar=d.previousElementSibling;function set(v){z=Math.min(8,Math.max(0.2,v));svg.style.transform='scale('+z+')'}
bar.querySelector('.in').addEventListener('click',function(){set(z*1.25)});
bar.querySelector('.out').addEventListener('click',function(){set(z/1.25)});
bar.querySelector('.reset').addEventListener('click',function(){set(1)});
d.addEventListener('wheel',function(e){if(!e.ctrlKey)return;e.preventDefault();set(z*(e.deltaY<0?1.1:1/1.1))})});
var detailData=null;
function details(id){var el=document.getElementById(id);if(el)return el;var holder=document.getElementById('node-details');if(!holder)return null;
if(!detailData){var s=document.getElementById('node-details-data');detailData=s?JSON.parse(s.textContent):{}}
if(!Object.prototype.hasOwnProperty.call(detailData,id))return null;
el=document.createElement('details');el.className='node';el.id=id;el.innerHTML=detailData[id];holder.appendChild(el);return el}
function openHash(){if(!location.hash)return;var el=details(decodeURIComponent(location.hash.slice(1)));
if(el&&el.tagName==='DETAILS'){var made=!el.open;el.open=true;if(made)el.scrollIntoView()}}
openHash();window.addEventListener('hashchange',openHash);document.addEventListener('DOMContentLoaded',openHash);)";

// A table with more rows than this is drawn a page at a time from JSON; with more node details,
// each is made when a link asks for it. (A 100,000-node report as plain HTML is 84 MB of
// elements a browser had not drawn after minutes.)
constexpr std::size_t kPagedRows = 1000;
constexpr std::size_t kLazyDetails = 1000;

// A JSON string that is safe inside <script>: "</" written "<\/" and "<!--" "\u003c!--", so
// nothing in it ends the script.
std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '<':
        if (text.substr(i, 2) == "</")
          out += "<\\";
        else if (text.substr(i, 4) == "<!--")
          out += "\\u003c";
        else
          out += c;
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20)
          out += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
        else
          out += c;
    }
  }
  return out + "\"";
}

// What a cell reads as text (its textContent once drawn): search and facets go by it.
std::string plain(const Inline& content) {
  std::string out;
  for (const Span& s : content) {
    if (s.kind == Span::Kind::bar) continue;
    out += s.text;
    if (s.kind == Span::Kind::node && s.text != s.id) out += " " + s.id;
  }
  return out;
}

class HtmlWriter {
 public:
  HtmlWriter(std::ostream& out, const std::string& svg, bool node_links, bool lazy_details)
      : out_(&out), svg_(svg), node_links_(node_links), lazy_details_(lazy_details) {}

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
    bool paged = t.rows.size() > kPagedRows;
    std::ostream& out = *out_;
    out << "<table class=\"sortable" << (t.searchable ? " searchable" : "")
        << (paged ? " paged" : "") << "\"" << (id.empty() ? "" : " id=\"" + xml_escape(id) + "\"")
        << "><thead><tr>";
    for (std::size_t i = 0; i < t.columns.size(); ++i)
      out << "<th scope=\"col\"" << (t.numeric[i] ? " class=\"num\"" : "")
          << (i < t.facet.size() && t.facet[i] ? " data-facet=\"1\"" : "") << ">"
          << xml_escape(t.columns[i]) << "</th>";
    out << "</tr></thead><tbody>\n";
    if (paged) {
      // Each row a list of cells: a cell's text, or [text, sort value, HTML] where it has a sort
      // value or more than its text to draw.
      out << "</tbody></table>\n<script type=\"application/json\" class=\"rows\">[";
      for (std::size_t r = 0; r < t.rows.size(); ++r) {
        out << (r ? ",\n[" : "\n[");
        for (std::size_t i = 0; i < t.rows[r].size(); ++i) {
          const report::Cell& c = t.rows[r][i];
          std::string text = plain(c.content), html = render(c.content);
          if (i) out << ',';
          if (!c.sort && html == xml_escape(text)) {
            out << json_string(text);
            continue;
          }
          if (c.sort && html == xml_escape(text) && fmt::format("{}", *c.sort) == text) {
            out << text;  // a number that reads as itself
            continue;
          }
          out << '[' << json_string(text) << ','
              << (c.sort ? fmt::format("{}", *c.sort) : std::string("null"));
          if (html != xml_escape(text)) out << ',' << json_string(html);
          out << ']';
        }
        out << ']';
      }
      out << "]</script>\n";
      return;
    }
    for (const auto& row : t.rows) {
      out << "<tr>";
      for (std::size_t i = 0; i < row.size(); ++i) {
        out << "<td";
        if (i < t.numeric.size() && t.numeric[i]) out << " class=\"num\"";
        if (row[i].sort) out << " data-v=\"" << fmt::format("{}", *row[i].sort) << "\"";
        out << ">" << render(row[i].content) << "</td>";
      }
      out << "</tr>\n";
    }
    if (t.rows.empty() && !t.empty.empty())
      out << "<tr><td colspan=\"" << t.columns.size() << "\">" << xml_escape(t.empty)
          << "</td></tr>\n";
    out << "</tbody></table>\n";
  }

  void block(const Block& b, const std::string& anchor) {
    std::ostream& out = *out_;
    switch (b.kind) {
      case Block::Kind::paragraph:
        out << "<p>" << render(b.content) << "</p>\n";
        break;
      case Block::Kind::note:
        out << "<blockquote>" << render(b.content) << "</blockquote>\n";
        break;
      case Block::Kind::table:
        // The section's heading has the section's id; its table one of its own.
        table(b.table, anchor == "nodes" ? "nodes-table" : "");
        break;
      case Block::Kind::bullets:
        out << "<ul>";
        for (const auto& item : b.items) out << "<li>" << render(item) << "</li>";
        out << "</ul>\n";
        break;
      case Block::Kind::figure: {
        const std::string& svg = b.svg.empty() ? svg_ : b.svg;
        std::size_t start = svg.find("<svg");
        if (start == std::string::npos) {
          out << "<p><img src=\"" << xml_escape(b.path) << "\" alt=\"" << render(b.content)
              << "\"></p>\n";
          break;
        }
        out << "<div class=\"zoom\"><button type=\"button\" class=\"in\" aria-label=\"Zoom "
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
      if (lazy_details_) {  // kept as JSON, made into <details> when a link asks for it
        std::ostringstream inner;
        std::ostream* outer = std::exchange(out_, &inner);
        inner << "<summary>" << xml_escape(s.title) << "</summary>\n";
        for (const auto& b : s.blocks) block(b, s.anchor);
        out_ = outer;
        details_ += (details_.empty() ? "{\n" : ",\n") + json_string(s.anchor) + ":" +
                    json_string(inner.str());
        return;
      }
      *out_ << "<details class=\"node\" id=\"" << xml_escape(s.anchor) << "\"><summary>"
            << xml_escape(s.title) << "</summary>\n";
      for (const auto& b : s.blocks) block(b, s.anchor);
      *out_ << "</details>\n";
      return;
    }
    *out_ << "<h" << level << " id=\"" << xml_escape(s.anchor) << "\">" << xml_escape(s.title)
          << "</h" << level << ">\n";
    for (const auto& b : s.blocks) block(b, s.anchor);
    for (const auto& c : s.children) section(c, std::min(level + 1, 6));
    if (!details_.empty() && !holder_) {
      *out_ << "<div id=\"node-details\"></div>\n";
      holder_ = true;
    }
  }

  // The lazy node details, after the page's script: the tables work while they are read.
  void details_data() {
    if (!details_.empty())
      *out_ << "<script type=\"application/json\" id=\"node-details-data\">" << details_
            << "}</script>\n";
  }

 private:
  std::ostream* out_;
  const std::string& svg_;
  bool node_links_;
  bool lazy_details_;
  std::string details_;  // lazy node details, as JSON members
  bool holder_ = false;
};

std::size_t node_details(const std::vector<Section>& sections) {
  std::size_t n = 0;
  for (const auto& s : sections) n += (s.anchor.rfind("node-", 0) == 0) + node_details(s.children);
  return n;
}

}  // namespace

void write_html(std::ostream& out, const report::Document& d, const std::string& svg) {
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>" << xml_escape(d.title) << "</title>\n<style>\n"
      << kCss << "\n</style>\n</head>\n<body>\n";
  std::size_t details = node_details(d.sections);
  HtmlWriter w(out, svg, details > 0, details > kLazyDetails);
  out << "<h1>" << xml_escape(d.title) << "</h1>\n<ul>";
  for (const auto& f : d.facts) out << "<li>" << w.render(f) << "</li>";
  out << "</ul>\n";
  for (const auto& n : d.notes) out << "<blockquote>Note: " << xml_escape(n) << "</blockquote>\n";
  out << "<nav aria-label=\"Contents\"><ul>";
  for (const auto& s : d.sections)
    out << "<li><a href=\"#" << xml_escape(s.anchor) << "\">" << xml_escape(s.title) << "</a></li>";
  if (!d.provenance.empty()) out << "<li><a href=\"#provenance\">Provenance</a></li>";
  out << "</ul></nav>\n";
  for (const auto& s : d.sections) w.section(s, 2);
  if (!d.provenance.empty())
    out << "<section id=\"provenance\"><h2>Provenance</h2>\n<p>" << w.render(d.provenance)
        << "</p></section>\n";
  out << "<script>\n" << kScript << "\n</script>\n";
  w.details_data();
  out << "</body>\n</html>\n";
}

}  // namespace chokepoint
