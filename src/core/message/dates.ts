// RFC 5322 section 3.3 date-time, e.g. `Mon, 23 Nov 2026 07:32:22 +0000` (always written in UTC).
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function formatRfc5322Date(date: Date): string {
  const valid = Number.isFinite(date.getTime()) ? date : new Date(0);
  const two = (n: number): string => String(n).padStart(2, '0');
  return (
    `${DAYS[valid.getUTCDay()]}, ${two(valid.getUTCDate())} ${MONTHS[valid.getUTCMonth()]} ${valid.getUTCFullYear()} ` +
    `${two(valid.getUTCHours())}:${two(valid.getUTCMinutes())}:${two(valid.getUTCSeconds())} +0000`
  );
}
