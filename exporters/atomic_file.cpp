#include "exporters/atomic_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "graph/support/errors.hpp"
#include "graph/support/inputs.hpp"

namespace chokepoint {

namespace fs = std::filesystem;

namespace {

std::string reason(int error) { return error ? std::strerror(error) : "write failed (disk full?)"; }

// Refuses a path that names a file this run read (by any name or link): writing the report
// over the graph or the scenario it came from loses the input.
void refuse_input(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
      inputs::was_read(st.st_dev, st.st_ino))
    throw UsageError(fmt::format(
        "refusing to write '{}': it is one of this run's inputs; write the output elsewhere",
        path));
}

// Writes all of `text` to a descriptor that blocks.
void write_all(int fd, const std::string& text, const std::string& path) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw IoError("cannot write '" + path + "': " + reason(errno));
    done += static_cast<std::size_t>(n);
  }
}

// A FIFO is written once a reader has it open: waited for at most kFifoWait, not for ever.
constexpr auto kFifoWait = std::chrono::seconds(5);

void write_fifo(const fs::path& target, const std::string& path,
                const std::function<void(std::ostream&)>& write) {
  auto give_up = std::chrono::steady_clock::now() + kFifoWait;
  int fd = -1;
  for (;;) {
    fd = ::open(target.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0 || errno != ENXIO) break;  // ENXIO: no reader yet
    if (std::chrono::steady_clock::now() >= give_up)
      throw IoError(fmt::format("cannot write '{}': no reader after {} s (a FIFO nothing reads?)",
                                path, kFifoWait.count()));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (fd < 0) throw IoError("cannot write '" + path + "': " + reason(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  std::ostringstream text;
  write(text);
  write_all(fd, text.str(), path);
}

// Devices, FIFOs and sockets are written in place: they cannot be replaced, and replacing
// /dev/null or a pipe with a regular file is never what was asked for.
void write_in_place(const fs::path& target, const std::string& path,
                    const std::function<void(std::ostream&)>& write) {
  std::error_code ec;
  if (fs::is_fifo(fs::status(target, ec))) return write_fifo(target, path, write);
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

// A file written beside its target, not yet renamed into place.
struct Pending {
  fs::path temp, target;
  std::string path;
};

void discard(const Pending& p) {
  std::error_code ec;
  fs::remove(p.temp, ec);
}

// Writes `path`'s new content to a temporary beside it; nullopt when it was written in place (a
// device or a FIFO).
std::optional<Pending> prepare(const std::string& path,
                               const std::function<void(std::ostream&)>& write) {
  refuse_input(path);
  fs::path target(path);
  std::error_code ec;
  // /dev/stdout, /dev/fd/N and /proc/self/fd/N name whatever the process has open: write to it.
  if (path.rfind("/dev/", 0) == 0 || path.rfind("/proc/", 0) == 0) {
    write_in_place(target, path, write);
    return std::nullopt;
  }
  // A symbolic link stands for the file it points to: replace that file, keep the link.
  int hops = 0;
  for (; fs::is_symlink(fs::symlink_status(target, ec)) && hops < 40; ++hops) {
    fs::path link = fs::read_symlink(target, ec);
    if (ec) throw IoError("cannot write '" + path + "': " + ec.message());
    target = link.is_absolute() ? link : target.parent_path() / link;
  }
  if (hops == 40)  // a loop of links: replacing one of them with a file is not what was asked
    throw IoError("cannot write '" + path + "': too many levels of symbolic links");
  auto status = fs::status(target, ec);
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    if (fs::is_directory(status)) throw IoError("cannot write '" + path + "': it is a directory");
    write_in_place(target, path, write);
    return std::nullopt;
  }
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec))
    throw IoError("cannot write '" + path + "': directory '" + dir.string() + "' does not exist");
  Pending p{dir / fmt::format(".{}.tmp.{}", target.filename().string(), ::getpid()), target, path};
  errno = 0;
  std::ofstream out(p.temp, std::ios::binary | std::ios::trunc);
  if (!out) throw IoError("cannot write '" + path + "': " + reason(errno));
  errno = 0;
  try {
    write(out);
  } catch (...) {
    out.close();
    discard(p);
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
    discard(p);
    throw IoError("cannot write '" + path + "': " + reason(error));
  }
  return p;
}

void commit(const Pending& p) {
  std::error_code ec;
  fs::rename(p.temp, p.target, ec);
  if (ec) {
    std::string message = ec.message();
    discard(p);
    throw IoError("cannot write '" + p.path + "': " + message);
  }
}

}  // namespace

void write_atomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
  if (auto p = prepare(path, write)) commit(*p);
}

void write_file_set(const std::string& dir, const std::vector<NamedText>& files,
                    const std::function<bool(std::string_view)>& belongs) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw IoError(fmt::format("cannot create '{}': {}", dir, ec.message()));
  // Concurrent runs into one folder take turns (a lock on the folder itself), so the set is
  // always one run's.
  int lock = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (lock >= 0) ::flock(lock, LOCK_EX);
  struct Unlock {
    int fd;
    ~Unlock() {
      if (fd >= 0) ::close(fd);
    }
  } unlock{lock};
  std::vector<Pending> pending;
  try {
    for (const auto& file : files)
      if (auto p = prepare((fs::path(dir) / file.first).string(),
                           [&](std::ostream& out) { out << file.second; }))
        pending.push_back(std::move(*p));
  } catch (...) {
    for (const auto& p : pending) discard(p);
    throw;
  }
  for (std::size_t i = 0; i < pending.size(); ++i) {
    try {
      commit(pending[i]);
    } catch (...) {
      for (std::size_t j = i + 1; j < pending.size(); ++j) discard(pending[j]);
      throw;
    }
  }
  // What an earlier set wrote and this one does not (a larger graph's target diagrams).
  std::set<std::string, std::less<>> names;
  for (const auto& file : files) names.insert(file.first);
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (entry.is_regular_file(ec) && belongs(name) && !names.count(name))
      fs::remove(entry.path(), ec);
  }
}

}  // namespace chokepoint
