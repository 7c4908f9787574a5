import { readdirSync, readFileSync } from 'node:fs';

/** The fields of /proc/<path>/stat after the parenthesised name: index 0 is field 3 (the state). */
function statFields(path: string): string[] {
  return readFileSync(`/proc/${path}/stat`, 'utf8').split(') ')[1]!.split(' ');
}

/** utime + stime (and, with `children`, what exited children used) of one process, seconds; NaN without /proc. */
export function processCpu(pid: number | string, children = false): number {
  try {
    // Field 14 utime, 15 stime, 16 cutime, 17 cstime, in clock ticks (100 a second).
    const fields = statFields(String(pid));
    return (Number(fields[11]) + Number(fields[12]) + (children ? Number(fields[13]) + Number(fields[14]) : 0)) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Minor page faults of a process so far (field 10): memory the kernel had to map in. */
export function minorFaults(pid: number): number {
  return Number(statFields(String(pid))[7]);
}

/** utime + stime of one thread of a process (the main thread's id is the process's), seconds; NaN without /proc. */
export function threadCpu(pid: number, tid: number): number {
  try {
    const fields = statFields(`${pid}/task/${tid}`);
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/**
 * Every local PostgreSQL process's CPU so far: the live ones, plus what the postmaster collected
 * from exited backends (a sync's connections close before it ends). Other sessions count too.
 */
export function postgresCpuSeconds(): number {
  let total = 0;
  let found = false;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let comm: string;
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (comm !== 'postgres') continue;
    const parent = statFields(pid)[1];
    const postmaster = comm === 'postgres' && readFileSync(`/proc/${parent}/comm`, 'utf8').trim() !== 'postgres';
    total += processCpu(pid, postmaster);
    found = true;
  }
  return found ? total : Number.NaN;
}
