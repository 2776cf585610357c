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

namespace wfsim::models::mwaa {

// Airflow's ds_add: `ds` ("YYYY-MM-DD") moved by `days` (negative goes back), as "YYYY-MM-DD".
std::optional<std::string> ds_add(std::string_view ds, std::int64_t days, std::string* error);

// Airflow's ds_format: `ds` read with strptime's `input_format`, written with strftime's
// `output_format`. The directives understood are %Y %m %d %H %M %S %y %j %% in both, and
// %b %B %a %A (English names) in the output; any other is an error naming it.
std::optional<std::string> ds_format(std::string_view ds, std::string_view input_format,
                                     std::string_view output_format, std::string* error);

}  // namespace wfsim::models::mwaa
