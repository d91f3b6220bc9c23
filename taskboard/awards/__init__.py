"""红旗 and 蜗牛奖: monthly scores of units by how they keep their deadlines."""
