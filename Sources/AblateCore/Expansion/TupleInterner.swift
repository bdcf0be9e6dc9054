/// An open-addressing hash set of fixed-width `UInt32` tuples, numbering each distinct tuple.
///
/// Expansion interns one tuple per point and stage (the stage's `uses` value indices and upstream job
/// indices); a `Dictionary<[UInt32], Int>` would allocate an array per point.
struct TupleInterner {
    let width: Int
    private(set) var storage: [UInt32] = []
    private var slots: [Int32]
    private var mask: Int

    init(width: Int, expectedCount: Int = 16) {
        self.width = width
        var capacity = 16
        while capacity < expectedCount * 2 { capacity <<= 1 }
        slots = Array(repeating: -1, count: capacity)
        mask = capacity - 1
    }

    /// The number of distinct tuples interned so far.
    private(set) var count = 0

    /// The number of the tuple in `buffer`, adding it if new.
    mutating func intern(_ buffer: UnsafeBufferPointer<UInt32>) -> UInt32 {
        if width == 0 {
            count = 1
            return 0
        }
        if (count + 1) * 2 > slots.count { grow() }
        var slot = Self.hash(buffer) & mask
        while true {
            let entry = slots[slot]
            if entry < 0 {
                let number = count
                count += 1
                storage.append(contentsOf: buffer)
                slots[slot] = Int32(number)
                return UInt32(number)
            }
            if equals(Int(entry), buffer) { return UInt32(entry) }
            slot = (slot + 1) & mask
        }
    }

    func tuple(_ number: Int) -> ArraySlice<UInt32> {
        storage[(number * width)..<((number + 1) * width)]
    }

    private func equals(_ number: Int, _ buffer: UnsafeBufferPointer<UInt32>) -> Bool {
        let base = number * width
        for i in 0..<width where storage[base + i] != buffer[i] { return false }
        return true
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = Array(repeating: -1, count: capacity)
        mask = capacity - 1
        storage.withUnsafeBufferPointer { all in
            for number in 0..<count {
                let tuple = UnsafeBufferPointer(rebasing: all[(number * width)..<((number + 1) * width)])
                var slot = Self.hash(tuple) & mask
                while slots[slot] >= 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(number)
            }
        }
    }

    private static func hash(_ buffer: UnsafeBufferPointer<UInt32>) -> Int {
        var h: UInt64 = 0x9e37_79b9_7f4a_7c15
        for value in buffer {
            h = (h ^ UInt64(value)) &* 0xbf58_476d_1ce4_e5b9
            h ^= h >> 29
        }
        return Int(truncatingIfNeeded: h ^ (h >> 32))
    }
}
