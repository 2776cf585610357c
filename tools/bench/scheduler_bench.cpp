// BM_SchedulerThroughput: timer events fired per second with 100 000 timers pending.
// Each fired timer schedules its successor at a pseudo-random later time, so the heap
// stays at its size and every event pays a real pop and push (DESIGN.md: >= 10 million/s).
#include <benchmark/benchmark.h>

#include <cstdint>

#include "sim/random.hpp"
#include "sim/scheduler.hpp"

namespace {

using wfsim::sim::Rng;
using wfsim::sim::Scheduler;

struct Context {
  Scheduler scheduler{0};
  Rng rng{42};
  std::uint64_t fired = 0;
};

// One pointer, so the action is kept inline in its TimerAction as a service's small
// lambdas do.
struct Reschedule {
  Context* context;
  void operator()() const {
    ++context->fired;
    const auto delay_us = static_cast<std::int64_t>(context->rng.uniform(1, 1'000'000));
    context->scheduler.schedule_after(delay_us, *this);
  }
};

void BM_SchedulerThroughput(benchmark::State& state) {
  const auto pending = static_cast<std::uint64_t>(state.range(0));
  Context context;
  for (std::uint64_t i = 0; i < pending; ++i) {
    context.scheduler.schedule_at(static_cast<std::int64_t>(context.rng.uniform(1, 1'000'000)),
                                  Reschedule{&context});
  }
  constexpr std::uint64_t kEventsPerIteration = 100'000;
  for (auto _ : state) {
    auto result = context.scheduler.run_until_idle(kEventsPerIteration);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(context.fired));
  state.counters["pending"] = static_cast<double>(context.scheduler.pending());
}
BENCHMARK(BM_SchedulerThroughput)->Arg(100'000)->Unit(benchmark::kMillisecond);

}  // namespace
