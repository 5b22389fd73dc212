/* A C workload for the dispatch engine: fill an array from an LCG, sort it (quicksort with an insertion-sort
   cutoff), check it is ordered, and compare a checksum with the value computed on the host. main() returns 0
   on success, or the number of the check that failed. */
#include <stdint.h>

#define N 400

static uint32_t data[N];
static const uint32_t primes[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};

static uint32_t lcg(uint32_t *s) {
  *s = *s * 1664525u + 1013904223u;
  return *s;
}

static void insertion(int32_t *a, int lo, int hi) {
  for (int i = lo + 1; i <= hi; i++) {
    int32_t k = a[i];
    int j = i - 1;
    while (j >= lo && a[j] > k) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = k;
  }
}

static void quicksort(int32_t *a, int lo, int hi) {
  while (hi - lo > 12) {
    int32_t p = a[lo + (hi - lo) / 2];
    int i = lo, j = hi;
    while (i <= j) {
      while (a[i] < p) i++;
      while (a[j] > p) j--;
      if (i <= j) {
        int32_t t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (j - lo < hi - i) {
      quicksort(a, lo, j);
      lo = i;
    } else {
      quicksort(a, i, hi);
      hi = j;
    }
  }
  insertion(a, lo, hi);
}

int main(void) {
  uint32_t s = 12345;
  for (int i = 0; i < N; i++) data[i] = lcg(&s) % 100000u;
  quicksort((int32_t *)data, 0, N - 1);
  for (int i = 1; i < N; i++)
    if (data[i - 1] > data[i]) return 2;
  uint32_t sum = 0;
  for (int i = 0; i < N; i++) sum = sum * 31u + data[i] / primes[i % 12] + data[i] % primes[(i + 5) % 12];
  return sum == EXPECTED_SUM ? 0 : 3;
}
