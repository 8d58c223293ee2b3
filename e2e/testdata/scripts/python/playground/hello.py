# A line printed, and the sum of the page's A_rank.
print('hello from the worker')
from js import A_rank
sum(A_rank)
