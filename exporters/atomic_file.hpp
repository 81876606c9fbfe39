// Writes a file through a temporary in the same directory and a rename, so that a crash or a
// kill never leaves half a report where the previous one was.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chokepoint {

// Calls `write` with a stream to a temporary file next to `path`, then renames it into place.
// Throws IoError (with the path and the reason) if any step fails; the temporary is removed. A
// symbolic link is kept and the file it points to replaced (a loop of links is an error); a
// device is written in place, a FIFO once something reads it (at most 5 s later). A path that
// names a file this run read (graph, scenario, rules, tables; by any name) is refused with a
// UsageError.
void write_atomically(const std::string& path, const std::function<void(std::ostream&)>& write);

// One file of a set: its name inside the set's folder, and its text.
using NamedText = std::pair<std::string, std::string>;

// Writes a set of files into `dir` (created if missing) as one: each is written beside its place
// first, and only when all are written are they renamed into place, so a failure leaves the
// folder as it was. Then the files of an earlier set that `belongs` claims and this set lacks are
// removed (a smaller graph's run leaves no target diagram of a larger one). Concurrent writers of
// one folder take turns.
void write_file_set(const std::string& dir, const std::vector<NamedText>& files,
                    const std::function<bool(std::string_view)>& belongs);

}  // namespace chokepoint
