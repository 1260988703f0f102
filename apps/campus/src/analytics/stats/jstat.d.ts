/**
 * The slice of jStat (which ships no types) the statistics module calls: Student t and normal
 * distributions. Declared here rather than widened to `any`.
 */
declare module 'jstat' {
  interface JStatDistributions {
    studentt: {
      cdf(x: number, dof: number): number
      inv(p: number, dof: number): number
    }
    normal: {
      cdf(x: number, mean: number, sd: number): number
      inv(p: number, mean: number, sd: number): number
      pdf(x: number, mean: number, sd: number): number
    }
  }
  const jStat: JStatDistributions
  export default jStat
}
