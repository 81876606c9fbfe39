// Work split over threads (the machine has two cores): each worker keeps its own state, results
// are stored by index, so output never depends on the thread count.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <exception>
#include <string>
#include <thread>
#include <vector>

namespace chokepoint {

// Worker threads for the analyses: CHOKEPOINT_THREADS if set (1 to 64), else the hardware's count
// capped at 2 (the machines we run on have two cores; more workers mean more copies of state).
inline unsigned analysis_threads() {
  if (const char* env = std::getenv("CHOKEPOINT_THREADS")) {
    int n = std::atoi(env);
    if (n >= 1 && n <= 64) return static_cast<unsigned>(n);
  }
  return std::clamp(std::thread::hardware_concurrency(), 1u, 2u);
}

// `requested` threads when set (tests and options ask for a count), else analysis_threads().
inline unsigned analysis_threads(unsigned requested) {
  return requested ? requested : analysis_threads();
}

// Calls work(worker, i) for every i in [0, count), worker w taking w, w + workers, ... (items of
// a similar cost end up evenly spread). An exception in a worker is rethrown after all joined.
template <typename F>
void parallel_for(std::size_t count, unsigned workers, F work) {
  workers = static_cast<unsigned>(
      std::min<std::size_t>(std::max(1u, workers), std::max<std::size_t>(1, count)));
  if (workers == 1) {
    for (std::size_t i = 0; i < count; ++i) work(0u, i);
    return;
  }
  std::vector<std::exception_ptr> errors(workers);
  std::vector<std::thread> threads;
  for (unsigned w = 0; w < workers; ++w)
    threads.emplace_back([&, w] {
      try {
        for (std::size_t i = w; i < count; i += workers) work(w, i);
      } catch (...) {
        errors[w] = std::current_exception();
      }
    });
  for (auto& t : threads) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace chokepoint
