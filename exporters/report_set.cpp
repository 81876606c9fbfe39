#include "exporters/report_set.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "exporters/atomic_file.hpp"
#include "graph/support/errors.hpp"

namespace chokepoint {

namespace {

// An exclusive lock on a folder for as long as it lives (none if the folder cannot be opened).
class FolderLock {
 public:
  explicit FolderLock(const std::string& dir)
      : fd_(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~FolderLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int fd_;
};

}  // namespace

std::size_t write_report_set(const std::string& dir, const ReportContext& context,
                             std::vector<ExtraFile> extra) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw IoError(fmt::format("cannot create '{}': {}", dir, ec.message()));
  auto set = report_set(context.kind);
  ReportContext in_set = context;
  for (const auto& file : set)
    if (file.format->name == "svg") in_set.options.diagram = file.name;
  // Every file is drawn before any is written, so a failure leaves the folder as it was.
  std::vector<ExtraFile> files = std::move(extra);
  for (const auto& file : set) {
    std::ostringstream text;
    file.format->write(text, in_set);
    if (!text.str().empty()) files.emplace_back(file.name, text.str());
  }
  FolderLock lock(dir);
  for (const auto& [name, text] : files)
    write_atomically((std::filesystem::path(dir) / name).string(),
                     [&](std::ostream& out) { out << text; });
  return files.size();
}

}  // namespace chokepoint
