/**
 * The one table of CPython versions dockopt knows: when each was released, when it reaches
 * end of life, and which OS-pinned variants its official Docker image was published with.
 *
 * Release and end-of-life dates: the Python Developer's Guide, "Status of Python versions"
 * (https://devguide.python.org/versions/, data file
 * https://github.com/python/devguide/blob/main/include/release-cycle.json and include/end-of-life.csv).
 * An end of life given as a month ("2026-10") is the scheduled one; as a day, the actual one.
 *
 * Docker variants: the directories of https://github.com/docker-library/python over its history
 * (`3.12/slim-bookworm/`, `3.12/alpine3.19/`, `3.12/windows/windowsservercore-ltsc2022/`…), each of
 * which was published as `python:<X.Y>-<variant>`. Ubuntu and Debian-testing experiments (jammy,
 * kinetic, forky) are left out: their publication is not certain. The variants that float with
 * every version (none, `-slim`, `-alpine`, `-windowsservercore`) are not listed; they exist for all.
 */

export interface PythonRelease {
  /** `major.minor`. */
  version: string;
  /** First final release, `YYYY-MM-DD` (scheduled when in the future). */
  firstRelease: string;
  /** `YYYY-MM-DD` when reached, `YYYY-MM` when scheduled. */
  endOfLife: string;
  /** OS-pinned tag suffixes (without the leading `-`) published for this version. */
  dockerVariants?: readonly string[];
}

const DEBIAN = (...codenames: string[]) => codenames.flatMap((c) => [c, `slim-${c}`]);
const ALPINE = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `alpine3.${from + i}`);
const WINDOWS = (...releases: string[]) => releases.map((r) => `windowsservercore-${r}`);

export const PYTHON_RELEASES: readonly PythonRelease[] = [
  { version: '2.6', firstRelease: '2008-10-01', endOfLife: '2013-10-29' },
  { version: '2.7', firstRelease: '2010-07-03', endOfLife: '2020-01-01' },
  { version: '3.0', firstRelease: '2008-12-03', endOfLife: '2009-06-27' },
  { version: '3.1', firstRelease: '2009-06-27', endOfLife: '2012-04-09' },
  { version: '3.2', firstRelease: '2011-02-20', endOfLife: '2016-02-20' },
  { version: '3.3', firstRelease: '2012-09-29', endOfLife: '2017-09-29' },
  { version: '3.4', firstRelease: '2014-03-16', endOfLife: '2019-03-18' },
  { version: '3.5', firstRelease: '2015-09-13', endOfLife: '2020-09-30' },
  { version: '3.6', firstRelease: '2016-12-23', endOfLife: '2021-12-23' },
  { version: '3.7', firstRelease: '2018-06-27', endOfLife: '2023-06-27' },
  { version: '3.8', firstRelease: '2019-10-14', endOfLife: '2024-10-07' },
  { version: '3.9', firstRelease: '2020-10-05', endOfLife: '2025-10-31' },
  {
    version: '3.10',
    firstRelease: '2021-10-04',
    endOfLife: '2026-10',
    dockerVariants: [
      ...DEBIAN('buster', 'bullseye', 'bookworm', 'trixie'),
      ...ALPINE(13, 24),
      ...WINDOWS('ltsc2016', '1809', 'ltsc2022'),
    ],
  },
  {
    version: '3.11',
    firstRelease: '2022-10-24',
    endOfLife: '2027-10',
    dockerVariants: [
      ...DEBIAN('buster', 'bullseye', 'bookworm', 'trixie'),
      ...ALPINE(15, 24),
      ...WINDOWS('1809', 'ltsc2022'),
    ],
  },
  {
    version: '3.12',
    firstRelease: '2023-10-02',
    endOfLife: '2028-10',
    dockerVariants: [
      ...DEBIAN('bullseye', 'bookworm', 'trixie'),
      ...ALPINE(17, 24),
      ...WINDOWS('1809', 'ltsc2022', 'ltsc2025'),
    ],
  },
  {
    version: '3.13',
    firstRelease: '2024-10-07',
    endOfLife: '2029-10',
    dockerVariants: [
      ...DEBIAN('bullseye', 'bookworm', 'trixie'),
      ...ALPINE(19, 24),
      ...WINDOWS('1809', 'ltsc2022', 'ltsc2025'),
    ],
  },
  {
    version: '3.14',
    firstRelease: '2025-10-07',
    endOfLife: '2030-10',
    dockerVariants: [...DEBIAN('bookworm', 'trixie'), ...ALPINE(21, 24), ...WINDOWS('ltsc2022', 'ltsc2025')],
  },
  {
    version: '3.15',
    firstRelease: '2026-10-01',
    endOfLife: '2031-10',
    dockerVariants: [...DEBIAN('bookworm', 'trixie'), ...ALPINE(23, 24), ...WINDOWS('ltsc2022', 'ltsc2025')],
  },
];

export function findRelease(major: number, minor: number): PythonRelease | undefined {
  return PYTHON_RELEASES.find((r) => r.version === `${major}.${minor}`);
}

/** The newest release of a major version (what a floating `python:2` tag pointed at). */
export function newestRelease(major: number): PythonRelease | undefined {
  return PYTHON_RELEASES.filter((r) => r.version.startsWith(`${major}.`)).at(-1);
}

/** `YYYY-MM-DD` of a date, in UTC (the dates of the table carry no time zone). */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Whether the version no longer gets security fixes on `today`. A month-only (scheduled) date
 * counts from the month after it: the day within the month is not known yet.
 */
export function isPastEndOfLife(release: PythonRelease, today: Date): boolean {
  const day = isoDay(today);
  if (/^\d{4}-\d{2}-\d{2}$/.test(release.endOfLife)) return day >= release.endOfLife;
  const [year, month] = release.endOfLife.split('-').map(Number);
  const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
  return day >= `${next}-01`;
}

export function isReleased(release: PythonRelease, today: Date): boolean {
  return isoDay(today) >= release.firstRelease;
}

/** `YYYY-MM`, how messages quote an end of life. */
export function endOfLifeMonth(release: PythonRelease): string {
  return release.endOfLife.slice(0, 7);
}
