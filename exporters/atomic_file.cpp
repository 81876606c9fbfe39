#include "exporters/atomic_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "graph/errors.hpp"

namespace chokepoint {

void write_atomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
  namespace fs = std::filesystem;
  fs::path target(path);
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw IoError("cannot write '" + path + "': directory '" + dir.string() + "' does not exist");
  fs::path temp = dir / ("." + target.filename().string() + ".tmp." + std::to_string(::getpid()));
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) throw IoError("cannot write '" + path + "': " + std::strerror(errno));
    try {
      write(out);
    } catch (...) {
      out.close();
      fs::remove(temp, ec);
      throw;
    }
    out.flush();
    if (!out) {
      out.close();
      fs::remove(temp, ec);
      throw IoError("cannot write '" + path + "': write failed (disk full?)");
    }
  }
  fs::rename(temp, target, ec);
  if (ec) {
    fs::remove(temp, ec);
    throw IoError("cannot write '" + path + "': " + ec.message());
  }
}

}  // namespace chokepoint
