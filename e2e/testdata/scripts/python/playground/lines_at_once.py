# 8,000 lines in one print, then a question.
print('\n'.join(map(str, range(8000))))
input('? ')
