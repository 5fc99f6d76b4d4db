// The schedule preview's run times, in UTC (the scheduler's zone) with how far away each is.
const UTC_TIME = new Intl.DateTimeFormat("en-GB", {
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});

/** "Tue, 5 Mar 2030, 14:00 UTC". */
export function formatUtc(iso: string): string {
  return `${UTC_TIME.format(new Date(iso))} UTC`;
}

/** "in 15 min", "in 3 h 05 min", "in 2 days". */
export function formatFromNow(iso: string, now = Date.now()): string {
  const minutes = Math.round((new Date(iso).getTime() - now) / 60_000);
  if (minutes <= 0) return "now";
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    const rest = minutes % 60;
    return rest === 0 ? `in ${hours} h` : `in ${hours} h ${String(rest).padStart(2, "0")} min`;
  }
  return `in ${Math.round(hours / 24)} days`;
}
