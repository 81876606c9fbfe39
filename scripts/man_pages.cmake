# Writes the man pages into OUT (run by the build, see CMakeLists.txt):
#   OUT/man/man1/chokepoint.1.gz          help2man of `chokepoint --help-all` (the top-level help
#                                         and every command's, from the command table)
#   OUT/man/man5/chokepoint-format.5.gz   from docs/format.md (scripts/md2man.py)
# Every page is compressed with gzip -9n (no name or time stored), so the package is the same on
# every build. The bash completion is the binary's own (`chokepoint --completion bash`).
#   cmake -DBIN=... -DSRC=... -DOUT=... -DPYTHON=... -DHELP2MAN=... -P scripts/man_pages.cmake
cmake_minimum_required(VERSION 3.20)
file(REMOVE_RECURSE "${OUT}/man")
file(MAKE_DIRECTORY "${OUT}/man/man1" "${OUT}/man/man5")

if(NOT HELP2MAN)
  message(FATAL_ERROR "help2man is needed for the man page (scripts/setup.sh installs it)")
endif()
execute_process(
  COMMAND "${HELP2MAN}" --no-info --no-discard-stderr --section 1 --help-option=--help-all
          --name "analyse AI supply-chain dependency graphs: choke points, export controls, coalitions"
          --output "${OUT}/man/man1/chokepoint.1" "${BIN}"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "help2man failed (${rc})")
endif()

execute_process(COMMAND "${PYTHON}" "${SRC}/scripts/md2man.py" "${SRC}/docs/format.md"
                        chokepoint-format 5 "the graph file format of chokepoint"
                OUTPUT_FILE "${OUT}/man/man5/chokepoint-format.5" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "scripts/md2man.py failed (${rc})")
endif()

file(GLOB_RECURSE pages "${OUT}/man/*.[1-9]")
foreach(page IN LISTS pages)
  execute_process(COMMAND gzip -9nf "${page}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${page} failed (${rc})")
  endif()
endforeach()
file(TOUCH "${OUT}/stamp")
