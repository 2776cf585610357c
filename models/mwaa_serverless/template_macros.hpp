// The Airflow template macros of fact sheet 12.6 that work on `ds` strings:
// macros.ds_add(ds, days) and macros.ds_format(ds, input_format, output_format). The other
// macros of 12.6 (macros.datetime, macros.timedelta, macros.dateutil, macros.time,
// macros.uuid, macros.random, datetime_diff_for_humans) work on Python objects the simulator
// does not have; the template evaluator names them as outside its subset.
//
// Each function returns the rendered text, or nullopt with `error` set to the text that
// Python's ValueError would carry, which fails the run like any template error (12.9).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/time.hpp"

namespace wfsim::models::mwaa {

// Airflow's ds_add once `days` is known to be non-zero: `ds` ("YYYY-MM-DD") moved by
// `delta_us` (negative goes back), as "YYYY-MM-DD". The caller turns days into the span and
// answers `ds` itself when days is 0, as Airflow does.
std::optional<std::string> ds_add(std::string_view ds, sim::DurationUs delta_us,
                                  std::string* error);

// Airflow's ds_format: `ds` read with strptime's `input_format`, written with strftime's
// `output_format`. Reading follows Python's _strptime (fields backtrack over their widths,
// whitespace matches any whitespace, letters ignore case); the directives understood are
// %Y %m %d %H %M %S %y %j %b %B %a %A %% in both directions, English names; any other is an
// error naming it.
std::optional<std::string> ds_format(std::string_view ds, std::string_view input_format,
                                     std::string_view output_format, std::string* error);

}  // namespace wfsim::models::mwaa
