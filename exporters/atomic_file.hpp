// Writes a file through a temporary in the same directory and a rename, so that a crash or a
// kill never leaves half a report where the previous one was.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>

namespace chokepoint {

// Calls `write` with a stream to a temporary file next to `path`, then renames it into place.
// Throws IoError (with the path and the reason) if any step fails; the temporary is removed.
void write_atomically(const std::string& path, const std::function<void(std::ostream&)>& write);

}  // namespace chokepoint
