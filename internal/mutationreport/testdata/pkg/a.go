package pkg

func clamp(n, max int) int {
	if n > max {
		return max
	}
	return n - 1
}

func half(n int) int {
	for i := 0; i < n; i++ {
		if i*2 >= n {
			return i
		}
	}
	return 0
}
