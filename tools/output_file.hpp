// Files the CLI writes for its user: traces, recordings, fuzz findings.
#pragma once

#include <functional>
#include <ostream>
#include <string>

namespace wfsim::tools {

// Writes `path` through `write`, replacing what was there. On failure prints "cannot write
// the <what> to <path>"; on success "wrote the <what> to <path>", unless `quiet`. False when
// the file could not be written.
bool write_output_file(const std::string& path, const std::string& what, bool quiet,
                       const std::function<void(std::ostream&)>& write);

}  // namespace wfsim::tools
