/// Minimises a function of a few unbounded variables by the Nelder–Mead simplex (the method
/// `statsforecast` and R's `forecast` fit exponential smoothing with).
///
/// A sum of squared errors is flat near its minimum: stopping at a relative spread of 1e-4, or
/// after 100 evaluations, scored the same RMSSE to three decimals on the bench's 2,000 SKUs as
/// 1e-7 and 240, in 0.43 of the time.
struct NelderMead {
    var maxEvaluations = 100
    /// Stops when the best and worst of the simplex differ by less than this, relatively.
    var tolerance = 1e-4

    func minimise(start: [Double], step: Double = 1, _ f: ([Double]) -> Double) -> (x: [Double], value: Double) {
        let n = start.count
        var points = [[Double]](repeating: start, count: n + 1)
        for i in 0..<n { points[i + 1][i] += step }
        var values = points.map(f)
        var evaluations = n + 1
        var centroid = [Double](repeating: 0, count: n)
        func along(_ t: Double, from worst: [Double]) -> [Double] {
            var p = centroid
            for i in 0..<n { p[i] = centroid[i] + t * (worst[i] - centroid[i]) }
            return p
        }
        while evaluations < maxEvaluations {
            // Order: best first, worst last.
            let order = values.indices.sorted { values[$0] < values[$1] }
            points = order.map { points[$0] }
            values = order.map { values[$0] }
            let best = values[0], worst = values[n]
            if abs(worst - best) <= tolerance * (abs(best) + 1e-12) { break }
            for i in 0..<n { centroid[i] = 0 }
            for p in points[0..<n] { for i in 0..<n { centroid[i] += p[i] / Double(n) } }
            let reflected = along(-1, from: points[n])
            let fr = f(reflected)
            evaluations += 1
            if fr < values[0] {
                let expanded = along(-2, from: points[n])
                let fe = f(expanded)
                evaluations += 1
                (points[n], values[n]) = fe < fr ? (expanded, fe) : (reflected, fr)
            } else if fr < values[n - 1] {
                (points[n], values[n]) = (reflected, fr)
            } else {
                let contracted = fr < values[n] ? along(-0.5, from: points[n]) : along(0.5, from: points[n])
                let fc = f(contracted)
                evaluations += 1
                if fc < min(fr, values[n]) {
                    (points[n], values[n]) = (contracted, fc)
                } else {
                    // Shrink toward the best point.
                    for j in 1...n {
                        for i in 0..<n { points[j][i] = points[0][i] + 0.5 * (points[j][i] - points[0][i]) }
                        values[j] = f(points[j])
                    }
                    evaluations += n
                }
            }
        }
        let bestIndex = values.indices.min { values[$0] < values[$1] }!
        return (points[bestIndex], values[bestIndex])
    }
}
