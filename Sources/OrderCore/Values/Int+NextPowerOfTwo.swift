extension Int {
    /// The least power of two not below this (positive) number: the size a buffer or table is
    /// rounded up to, so that it fits what comes after it too.
    public var nextPowerOfTwo: Int { 1 << (Int.bitWidth - (self - 1).leadingZeroBitCount) }
}
