/** The value of one sample line of a Prometheus text page, or undefined when absent. */
export function sample(page: string, series: string): number | undefined {
  const line = page.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** The sum of every sample of a metric whose label set matches `labels`. */
export function total(page: string, metric: string, labels: RegExp): number {
  return page
    .split('\n')
    .filter((l) => l.startsWith(`${metric}{`) && labels.test(l))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}
