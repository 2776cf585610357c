#include "tools/output_file.hpp"

#include <fstream>
#include <iostream>

namespace wfsim::tools {

bool write_output_file(const std::string& path, const std::string& what, bool quiet,
                       const std::function<void(std::ostream&)>& write) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) write(out);
  out.flush();
  if (!out) {
    std::cout << "  cannot write the " << what << " to " << path << "\n";
    return false;
  }
  if (!quiet) std::cout << "  wrote the " << what << " to " << path << "\n";
  return true;
}

}  // namespace wfsim::tools
