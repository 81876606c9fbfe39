# Writes the man pages and the bash completion into OUT (run by the build, see CMakeLists.txt):
#   OUT/man/man1/chokepoint*.1.gz   from the binary: `chokepoint --write-man-pages DIR` where the
#                                   CLI can write a page per command from its command table,
#                                   else help2man of `chokepoint --help` (one page)
#   OUT/man/man5/chokepoint-format.5.gz   from docs/format.md (scripts/md2man.py)
#   OUT/completion/chokepoint       `chokepoint --write-completion FILE` where the CLI can write
#                                   it from its command table, else cli/chokepoint.bash-completion
# Every page is compressed with gzip -9n (no name or time stored), so the package is the same on
# every build.
#   cmake -DBIN=... -DSRC=... -DOUT=... -DPYTHON=... [-DHELP2MAN=...] -P scripts/man_pages.cmake
cmake_minimum_required(VERSION 3.20)
file(REMOVE_RECURSE "${OUT}/man" "${OUT}/completion")
file(MAKE_DIRECTORY "${OUT}/man/man1" "${OUT}/man/man5" "${OUT}/completion")

execute_process(COMMAND "${BIN}" --write-man-pages "${OUT}/man/man1"
                RESULT_VARIABLE generated OUTPUT_QUIET ERROR_QUIET)
file(GLOB pages "${OUT}/man/man1/*.1")
if(NOT generated EQUAL 0 OR NOT pages)
  if(NOT HELP2MAN)
    message(FATAL_ERROR "help2man is needed for the man page (scripts/setup.sh installs it)")
  endif()
  execute_process(
    COMMAND "${HELP2MAN}" --no-info --no-discard-stderr --section 1
            --name "analyse AI supply-chain dependency graphs: choke points, export controls, coalitions"
            --output "${OUT}/man/man1/chokepoint.1" "${BIN}"
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "help2man failed (${rc})")
  endif()
endif()

execute_process(COMMAND "${PYTHON}" "${SRC}/scripts/md2man.py" "${SRC}/docs/format.md"
                        chokepoint-format 5 "the graph file format of chokepoint"
                OUTPUT_FILE "${OUT}/man/man5/chokepoint-format.5" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "scripts/md2man.py failed (${rc})")
endif()

execute_process(COMMAND "${BIN}" --write-completion "${OUT}/completion/chokepoint"
                RESULT_VARIABLE generated OUTPUT_QUIET ERROR_QUIET)
if(NOT generated EQUAL 0 OR NOT EXISTS "${OUT}/completion/chokepoint")
  configure_file("${SRC}/cli/chokepoint.bash-completion" "${OUT}/completion/chokepoint" COPYONLY)
endif()

file(GLOB_RECURSE pages "${OUT}/man/*.[1-9]")
foreach(page IN LISTS pages)
  execute_process(COMMAND gzip -9nf "${page}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${page} failed (${rc})")
  endif()
endforeach()
file(TOUCH "${OUT}/stamp")
