#include "exporters/atomic_file.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "graph/support/errors.hpp"

namespace chokepoint {

namespace {

std::string reason(int error) { return error ? std::strerror(error) : "write failed (disk full?)"; }

// Devices, FIFOs and sockets are written in place: they cannot be replaced, and replacing
// /dev/null or a pipe with a regular file is never what was asked for.
void write_in_place(const std::filesystem::path& target, const std::string& path,
                    const std::function<void(std::ostream&)>& write) {
  errno = 0;
  std::ofstream out(target, std::ios::binary);
  if (!out) throw IoError("cannot write '" + path + "': " + reason(errno));
  errno = 0;
  write(out);
  int error = errno;
  if (out) {
    out.flush();
    error = errno;
  }
  if (out) {
    out.close();
    error = errno;
  }
  if (!out) throw IoError("cannot write '" + path + "': " + reason(error));
}

}  // namespace

void write_atomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
  namespace fs = std::filesystem;
  fs::path target(path);
  std::error_code ec;
  // /dev/stdout, /dev/fd/N and /proc/self/fd/N name whatever the process has open: write to it.
  if (path.rfind("/dev/", 0) == 0 || path.rfind("/proc/", 0) == 0)
    return write_in_place(target, path, write);
  // A symbolic link stands for the file it points to: replace that file, keep the link.
  for (int hops = 0; fs::is_symlink(fs::symlink_status(target, ec)) && hops < 40; ++hops) {
    fs::path link = fs::read_symlink(target, ec);
    if (ec) throw IoError("cannot write '" + path + "': " + ec.message());
    target = link.is_absolute() ? link : target.parent_path() / link;
  }
  auto status = fs::status(target, ec);
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    if (fs::is_directory(status)) throw IoError("cannot write '" + path + "': it is a directory");
    return write_in_place(target, path, write);
  }
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec))
    throw IoError("cannot write '" + path + "': directory '" + dir.string() + "' does not exist");
  fs::path temp = dir / fmt::format(".{}.tmp.{}", target.filename().string(), ::getpid());
  {
    errno = 0;
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) throw IoError("cannot write '" + path + "': " + reason(errno));
    errno = 0;
    try {
      write(out);
    } catch (...) {
      out.close();
      fs::remove(temp, ec);
      throw;
    }
    int error = errno;
    if (out) {
      out.flush();
      error = errno;
    }
    if (out) {
      out.close();
      error = errno;
    }
    if (!out) {
      fs::remove(temp, ec);
      throw IoError("cannot write '" + path + "': " + reason(error));
    }
  }
  fs::rename(temp, target, ec);
  if (ec) {
    std::string message = ec.message();
    fs::remove(temp, ec);
    throw IoError("cannot write '" + path + "': " + message);
  }
}

}  // namespace chokepoint
