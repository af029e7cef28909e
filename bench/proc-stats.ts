/** What Linux's /proc says about a process's memory and CPU time, and about the whole machine's CPU. */
import { readFileSync } from 'node:fs';

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // the process is gone, or no /proc
  }
};

/** One /proc/<pid>/status field in KiB (VmRSS, VmHWM); undefined once the process is gone. */
export function statusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(read(`/proc/${pid}/status`) ?? '');
  return match ? Number(match[1]) : undefined;
}

/** Linux reports process times in USER_HZ ticks, 100 a second on every architecture Node runs on. */
const USER_HZ = 100;

/**
 * Nanoseconds the process, all its threads together, has spent on a CPU (utime + stime in
 * /proc/<pid>/stat; /proc/<pid>/schedstat would count only the main thread, and the SDK runs
 * workflow code and its Rust core on other threads).
 */
export function cpuNanoseconds(pid: number): number | undefined {
  const stat = read(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // After "pid (comm) ": state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / USER_HZ) * 1e9;
}

/** The machine's CPU time so far, in clock ticks summed over all cores: busy and total (/proc/stat). */
export function machineCpuTicks(): { busy: number; total: number } | undefined {
  const line = read('/proc/stat')?.split('\n')[0];
  if (!line?.startsWith('cpu ')) return undefined;
  // user nice system idle iowait irq softirq steal (guest time is already counted in user)
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  return { busy: total - idle - iowait, total };
}
