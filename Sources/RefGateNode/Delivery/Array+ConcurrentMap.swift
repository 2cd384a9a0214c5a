extension Array where Element: Sendable {
    /// `transform` applied to every element at once (child tasks), the results in the array's
    /// order: the messages of a batch are checked, sent or accepted side by side.
    func concurrentMap<T: Sendable>(_ transform: @escaping @Sendable (Element) async -> T) async -> [T] {
        await withTaskGroup(of: (Int, T).self) { group in
            for (index, element) in enumerated() { group.addTask { (index, await transform(element)) } }
            var results = [T?](repeating: nil, count: count)
            for await (index, result) in group { results[index] = result }
            return results.map { $0! }
        }
    }
}
