// The lower floor under `validate`: libyaml's C event scanner reading a file and counting events
// (the parser PyYAML's C loader uses). yaml-cpp's event parser, the floor of any loader built on
// it (bench/yaml_floor.cpp), is several times slower than this; bench/run.sh prints both.
//   build/chokepoint_libyaml_floor bench/out/synthetic-100000.yaml
#include <yaml.h>

#include <cstdio>
#include <iostream>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: chokepoint_libyaml_floor FILE\n";
    return 2;
  }
  std::FILE* in = std::fopen(argv[1], "rb");
  if (!in) {
    std::cerr << "cannot open " << argv[1] << '\n';
    return 3;
  }
  yaml_parser_t parser;
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_file(&parser, in);
  std::size_t events = 0;
  for (bool done = false; !done;) {
    yaml_event_t event;
    if (!yaml_parser_parse(&parser, &event)) {
      std::cerr << "YAML error: " << (parser.problem ? parser.problem : "unknown") << '\n';
      yaml_parser_delete(&parser);
      std::fclose(in);
      return 1;
    }
    ++events;
    done = event.type == YAML_STREAM_END_EVENT;
    yaml_event_delete(&event);
  }
  yaml_parser_delete(&parser);
  std::fclose(in);
  std::cout << events << " events\n";
  return 0;
}
