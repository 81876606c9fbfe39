// The floor under `validate`: yaml-cpp's event parser reading a file with a handler that only
// counts events. No graph loader can read YAML through yaml-cpp faster than this, so
// bench/run.sh reports validate's time as a multiple of it.
//   build/chokepoint_yaml_floor bench/out/synthetic-100000.yaml
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <fstream>
#include <iostream>

namespace {

class CountingHandler : public YAML::EventHandler {
 public:
  std::size_t events = 0;
  void OnDocumentStart(const YAML::Mark&) override { ++events; }
  void OnDocumentEnd() override { ++events; }
  void OnNull(const YAML::Mark&, YAML::anchor_t) override { ++events; }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { ++events; }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {
    ++events;
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    ++events;
  }
  void OnSequenceEnd() override { ++events; }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    ++events;
  }
  void OnMapEnd() override { ++events; }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: chokepoint_yaml_floor FILE\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::cerr << "cannot open " << argv[1] << '\n';
    return 3;
  }
  YAML::Parser parser(in);
  CountingHandler handler;
  try {
    while (parser.HandleNextDocument(handler)) {
    }
  } catch (const YAML::Exception& e) {
    std::cerr << e.what() << '\n';
    return 1;
  }
  std::cout << handler.events << " events\n";
  return 0;
}
