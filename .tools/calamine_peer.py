"""The python-calamine peer for `groupsms-bench check` and `groupsms-bench xlsx`.

Opens each workbook named on the command line with python-calamine, reads column A of its
first worksheet and prints how many non-empty cells it held (one count per file, then the
total). Nothing else: no normalising, no deduplicating. The benchmark runs it as a child
process, alternating with groupsms on the same files, so its figure includes Python's start-up.
Not needed to build, test or run groupsms.
"""
import sys

from python_calamine import CalamineWorkbook


def column_a_count(path):
    workbook = CalamineWorkbook.from_path(path)
    sheet = workbook.get_sheet_by_index(0)
    count = 0
    for row in sheet.iter_rows():
        if row and row[0] != "":
            count += 1
    return count


def main(paths):
    total = 0
    for path in paths:
        count = column_a_count(path)
        print(path, count)
        total += count
    print("total", total)


if __name__ == "__main__":
    main(sys.argv[1:])
