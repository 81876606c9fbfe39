// The files this process has read (by device and inode), so that no output replaces one of its
// own inputs, whatever name or link it is reached by.
#pragma once

#include <cstdint>
#include <mutex>
#include <set>
#include <utility>

namespace chokepoint::inputs {

namespace detail {
struct Registry {
  std::mutex mutex;
  std::set<std::pair<std::uint64_t, std::uint64_t>> files;
};
inline Registry& registry() {
  static Registry r;
  return r;
}
}  // namespace detail

// Records a regular file that was read.
inline void note(std::uint64_t device, std::uint64_t inode) {
  auto& r = detail::registry();
  std::lock_guard lock(r.mutex);
  r.files.emplace(device, inode);
}

// Forgets every file read (tests that load and delete many files in one process: a deleted
// file's inode, reused by a later file, would read as an input).
inline void forget_all() {
  auto& r = detail::registry();
  std::lock_guard lock(r.mutex);
  r.files.clear();
}

// Whether the file with this device and inode was read by this process.
inline bool was_read(std::uint64_t device, std::uint64_t inode) {
  auto& r = detail::registry();
  std::lock_guard lock(r.mutex);
  return r.files.count({device, inode}) != 0;
}

}  // namespace chokepoint::inputs
